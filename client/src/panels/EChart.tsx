import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// GraphicComponent: a chart's own empty-state text (the events rate before its first sample).
echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, GraphicComponent, CanvasRenderer]);

/** One ECharts instance per mounted chart; options replace the previous ones (notMerge). */
export function EChart({ option, testId, onClick }: { option: echarts.EChartsCoreOption; testId?: string; onClick?: (dataIndex: number) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true, lazyUpdate: true });
  }, [option]);
  // A click anywhere in a category's column (not only on its bar) picks that category.
  const click = useRef(onClick);
  click.current = onClick;
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const zr = c.getZr();
    const handler = (e: { offsetX: number; offsetY: number }) => {
      if (!c.containPixel('grid', [e.offsetX, e.offsetY])) return;
      const [i] = c.convertFromPixel({ seriesIndex: 0 }, [e.offsetX, e.offsetY]) as number[];
      if (Number.isFinite(i)) click.current?.(Math.round(i));
    };
    zr.on('click', handler);
    return () => zr.off('click', handler);
  }, [!!onClick]); // eslint-disable-line react-hooks/exhaustive-deps
  return <div ref={el} className="chart" data-testid={testId} />;
}
