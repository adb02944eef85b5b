package io.raftring.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a run: latency per second (p50 and p99, ms) above, throughput per second (answered ops/s, and errors/s
 * when there were any) below, sharing the time axis.
 */
public final class LatencyChart {

  static final int WIDTH = 1000;
  static final int PANEL_HEIGHT = 380;

  private LatencyChart() {}

  public static void write(String title, List<TimelinePoint> timeline, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int n = Math.max(1, timeline.size());
    double[] seconds = new double[n];
    double[] p50 = new double[n];
    double[] p99 = new double[n];
    double[] ops = new double[n];
    double[] errors = new double[n];
    boolean anyErrors = false;
    for (int i = 0; i < timeline.size(); i++) {
      TimelinePoint point = timeline.get(i);
      seconds[i] = point.second();
      p50[i] = point.p50Millis();
      p99[i] = point.p99Millis();
      ops[i] = point.opsPerSecond();
      double previous = i == 0 ? 0 : timeline.get(i - 1).second();
      errors[i] = point.errors() / Math.max(1e-3, point.second() - previous);
      anyErrors |= point.errors() > 0;
    }

    XYChart latency = chart(title + " - latency per second", "latency (ms)");
    line(latency.addSeries("p99", seconds, p99), new Color(200, 40, 40));
    line(latency.addSeries("p50", seconds, p50), new Color(30, 90, 200));

    XYChart throughput = chart("throughput per second", "operations / s");
    line(throughput.addSeries("answered ops/s", seconds, ops), new Color(20, 140, 60));
    if (anyErrors) {
      line(throughput.addSeries("errors/s", seconds, errors), new Color(230, 140, 0));
    }

    BufferedImage image = new BufferedImage(WIDTH, 2 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      graphics.setColor(Color.WHITE);
      graphics.fillRect(0, 0, WIDTH, 2 * PANEL_HEIGHT);
      latency.paint(graphics, WIDTH, PANEL_HEIGHT);
      graphics.translate(0, PANEL_HEIGHT);
      throughput.paint(graphics, WIDTH, PANEL_HEIGHT);
    } finally {
      graphics.dispose();
    }
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(PANEL_HEIGHT)
            .title(title)
            .xAxisTitle("seconds since measurement start")
            .yAxisTitle(yTitle)
            .build();
    XYStyler styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    chart.getStyler().setYAxisMin(0.0);
    return chart;
  }

  private static void line(XYSeries series, Color color) {
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    series.setLineWidth(2f);
  }
}
