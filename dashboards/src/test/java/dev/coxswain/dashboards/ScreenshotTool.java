package dev.coxswain.dashboards;

import java.nio.file.Path;

/** Screenshots a running dashboard while working on the page: {@code ScreenshotTool <url> <png> [height]}. */
final class ScreenshotTool {
    private ScreenshotTool() {
    }

    public static void main(String[] args) throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(Path.of("target"))) {
            if (args.length > 2) {
                browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280,
                        Integer.parseInt(args[2])));
            }
            browser.driver().get(args[0]);
            Thread.sleep(3000);
            System.out.println(browser.driver().manage().logs().get("browser").getAll());
            browser.screenshot(Path.of(args[1]));
        }
    }
}
