using LeanMlirVerify.Training.Runs;
using ScottPlot;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>The training curve: mini-batch loss per step (left axis) and validation accuracy per epoch (right axis).</summary>
public static class CurvePlot
{
    /// <summary>The curve as PNG bytes (the caller writes them atomically).</summary>
    public static byte[] Png(string title, IReadOnlyList<CurvePoint> losses, IReadOnlyList<CurvePoint> accuracies)
    {
        var plot = new Plot();
        plot.Title(title);
        var loss = plot.Add.Scatter(losses.Select(l => (double)l.Step).ToArray(), losses.Select(l => l.Value).ToArray());
        loss.LegendText = "train loss (per step)";
        loss.MarkerSize = 0;
        plot.Axes.Bottom.Label.Text = "step";
        plot.Axes.Left.Label.Text = "loss";
        if (accuracies.Count > 0)
        {
            var acc = plot.Add.Scatter(accuracies.Select(a => (double)a.Step).ToArray(), accuracies.Select(a => a.Value).ToArray());
            acc.LegendText = "test accuracy % (end of epoch)";
            acc.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "accuracy %";
        }
        plot.ShowLegend();
        return plot.GetImageBytes(1000, 560, ImageFormat.Png);
    }
}
