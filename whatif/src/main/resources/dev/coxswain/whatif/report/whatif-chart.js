// A what-if scenario's answers as one Apache ECharts option, shared by the report that `coxswain whatif run` writes
// and the dashboard's what-if page. `report` is {title, engine, answers: [{question, simStepSec, simSamplesPerSec,
// simBottleneck, calibratedStepSec, calibratedLoSec, calibratedHiSec, calibratedBottleneck}]}, the calibrated
// fields null where the calibrated model does not answer. Left: simulated step time per question, with the
// calibrated prediction and its 80% interval; right: simulated throughput, with each question's bottleneck link on
// the right-hand axis. Labels are truncated to fit and shown whole in the tooltip. `engine` names who answered
// ('simulated' when absent, or e.g. 'graph network').

const STEP = '#4a7ab8', CALIBRATED = '#d1495b', THROUGHPUT = '#66a182';

function escape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function seconds(v) {
  if (v === 0) return '0';
  return v >= 10 ? v.toFixed(1) : (v >= 0.1 ? v.toFixed(3) : v.toFixed(4));
}

/** Pixels the chart needs for `report`: a row per question. */
export function whatIfHeight(report) {
  return 110 + 34 * report.answers.length;
}

export function whatIfOption(report) {
  const a = report.answers;
  const engine = report.engine || 'simulated';
  const names = a.map(x => x.question);
  const maxThroughput = Math.max(1, ...a.map(x => x.simSamplesPerSec));
  const calibrated = a.map((x, i) => [i, x.calibratedLoSec, x.calibratedHiSec, x.calibratedStepSec])
    .filter(d => d[3] !== null && d[3] !== undefined);
  const tooltip = i => {
    const x = a[i];
    return '<b>' + escape(x.question) + '</b><br>' + escape(engine) + ' step ' + seconds(x.simStepSec) + ' s, '
      + Math.round(x.simSamplesPerSec) + ' samples/s<br>bottleneck: ' + escape(x.simBottleneck || 'none')
      + (x.calibratedStepSec === null || x.calibratedStepSec === undefined ? '<br>calibrated model: no answer'
        : '<br>calibrated ' + seconds(x.calibratedStepSec) + ' s (80%: ' + seconds(x.calibratedLoSec) + '–'
          + seconds(x.calibratedHiSec) + ')<br>calibrated bottleneck: ' + escape(x.calibratedBottleneck || 'none'));
  };
  return {
    animation: false,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true,
      formatter: params => tooltip(params[0].dataIndex) },
    legend: { top: 0, left: 0, data: [engine + ' step time', 'calibrated (80% interval)', 'throughput'] },
    grid: [
      { left: 8, width: '46%', top: 44, bottom: 34, containLabel: true },
      { left: '53%', right: 8, top: 44, bottom: 34, containLabel: true }
    ],
    xAxis: [
      { gridIndex: 0, type: 'value', name: 'step time (s)', nameLocation: 'middle', nameGap: 24,
        axisLabel: { formatter: seconds } },
      { gridIndex: 1, type: 'value', name: 'samples/s', nameLocation: 'middle', nameGap: 24,
        max: Math.ceil(maxThroughput * 1.2), axisLabel: { showMaxLabel: false } }
    ],
    yAxis: [
      { gridIndex: 0, type: 'category', data: names, inverse: true,
        axisLabel: { width: 170, overflow: 'truncate' } },
      { gridIndex: 1, type: 'category', data: a.map(x => x.simBottleneck || 'no bottleneck'), inverse: true,
        position: 'right', axisTick: { show: false }, axisLabel: { width: 190, overflow: 'truncate', color: '#5f6b7a' } }
    ],
    series: [
      { name: engine + ' step time', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, barWidth: 16,
        itemStyle: { color: STEP }, data: a.map(x => x.simStepSec),
        label: { show: true, position: 'insideRight', color: '#fff', fontSize: 11, formatter: p => seconds(p.value) } },
      { name: 'calibrated (80% interval)', type: 'custom', xAxisIndex: 0, yAxisIndex: 0, z: 3,
        itemStyle: { color: CALIBRATED }, encode: { x: [1, 2, 3], y: 0 }, data: calibrated,
        renderItem: (params, api) => {
          const lo = api.coord([api.value(1), api.value(0)]);
          const hi = api.coord([api.value(2), api.value(0)]);
          const mid = api.coord([api.value(3), api.value(0)]);
          const h = 10;
          const style = { stroke: CALIBRATED, lineWidth: 2 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
            { type: 'line', shape: { x1: lo[0], y1: lo[1] - 4, x2: lo[0], y2: lo[1] + 4 }, style: style },
            { type: 'line', shape: { x1: hi[0], y1: hi[1] - 4, x2: hi[0], y2: hi[1] + 4 }, style: style },
            { type: 'line', shape: { x1: mid[0], y1: mid[1] - h, x2: mid[0], y2: mid[1] + h },
              style: { stroke: CALIBRATED, lineWidth: 3 } }
          ] };
        } },
      { name: 'throughput', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, barWidth: 16,
        itemStyle: { color: THROUGHPUT }, data: a.map(x => x.simSamplesPerSec),
        label: { show: true, position: 'right', fontSize: 11, formatter: p => Math.round(p.value) + '/s' } }
    ]
  };
}
