// Chart.js, with only the pieces these charts use registered (keeps the bundle small).
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from "chart.js";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
Chart.defaults.color = "#495057";
Chart.defaults.maintainAspectRatio = false;

export const CURRENT = "#3b5bdb";
export const PREVIOUS = "#adb5bd";
const PALETTE = ["#3b5bdb", "#f59f00", "#2f9e44", "#e03131", "#9c36b5", "#1098ad", "#868e96"];

export interface Series {
  label: string;
  // null: no figure for that point (a day not summarized yet), drawn as a gap.
  values: (number | null)[];
  previous?: boolean;
}

const charts = new WeakMap<HTMLCanvasElement, Chart>();

/** Draws the chart on the canvas, or updates the one already there in place. */
function draw<T extends ChartType>(canvas: HTMLCanvasElement, config: ChartConfiguration<T>): void {
  const existing = charts.get(canvas);
  if (existing) {
    existing.data = config.data as Chart["data"];
    existing.update();
    return;
  }
  charts.set(canvas, new Chart(canvas, config) as unknown as Chart);
}

const countAxis = { beginAtZero: true, ticks: { precision: 0 } };

export function lineChart(canvas: HTMLCanvasElement, labels: string[], series: Series[]): void {
  draw(canvas, {
    type: "line",
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        borderColor: s.previous ? PREVIOUS : CURRENT,
        backgroundColor: s.previous ? "transparent" : "rgba(59, 91, 219, 0.12)",
        borderDash: s.previous ? [6, 4] : [],
        fill: !s.previous,
        pointRadius: labels.length > 60 ? 0 : 2,
        tension: 0.25,
      })),
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: { y: countAxis, x: { ticks: { maxTicksLimit: 10, autoSkip: true } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
}

export function barChart(
  canvas: HTMLCanvasElement,
  labels: string[],
  series: Series[],
  horizontal = false,
): void {
  draw(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: s.previous ? PREVIOUS : CURRENT,
        borderRadius: 3,
      })),
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      interaction: { mode: "index", intersect: false },
      scales: horizontal ? { x: countAxis } : { y: countAxis },
      plugins: { legend: { display: series.length > 1, position: "bottom" } },
    },
  });
}

export function doughnutChart(canvas: HTMLCanvasElement, labels: string[], values: number[]): void {
  draw(canvas, {
    type: "doughnut",
    data: {
      labels,
      datasets: [{ data: values, backgroundColor: labels.map((_, i) => PALETTE[i % PALETTE.length]) }],
    },
    options: { cutout: "55%", plugins: { legend: { position: "right" } } },
  });
}
