package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.features.Feature;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.List;

/** Feature vectors as Tribuo examples: a missing (NaN) feature is left out, which XGBoost treats as missing. */
final class Examples {

    private Examples() {
    }

    static <T extends Output<T>> ArrayExample<T> of(FeatureVector f, T output) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Feature feature : Feature.values()) {
            if (f.has(feature)) {
                names.add(feature.key());
                values.add(f.get(feature));
            }
        }
        return new ArrayExample<>(output, names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
