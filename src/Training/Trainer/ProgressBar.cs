using System.Globalization;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// A one-line epoch progress bar redrawn in place with '\r' (only for a terminal: the CLI turns it off when stderr is
/// redirected, so logs stay clean). Redraws at most every 100 ms; <see cref="Clear"/> blanks it before a log line.
/// </summary>
public sealed class ProgressBar(TextWriter output, string label, int total)
{
    const int Width = 30;
    long lastDraw;
    bool drawn;

    public void Update(int done, double loss)
    {
        long now = Environment.TickCount64;
        if (done < total && now - lastDraw < 100) return;
        lastDraw = now;
        int filled = total == 0 ? Width : (int)((long)done * Width / total);
        output.Write(
            $"\r  {label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} "
            + $"loss={loss.ToString("F4", CultureInfo.InvariantCulture)}");
        output.Flush();
        drawn = true;
    }

    public void Clear()
    {
        if (!drawn) return;
        output.Write("\r" + new string(' ', Width + label.Length + 40) + "\r");
        output.Flush();
        drawn = false;
    }
}
