using System.Globalization;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// The numbers a workload produced, each written so that equal text means bitwise equal values: a double as its
/// shortest round-trip form and its 64 bits, a tensor as dtype, shape and the SHA-256 of its raw bytes. A double added
/// with a tolerance is compared to within it instead (for values that differ between runs without any stress).
/// </summary>
public sealed class Fingerprint
{
    readonly List<(string Name, string Value)> entries = [];
    readonly Dictionary<int, (double Value, double Tolerance)> close = [];

    public IReadOnlyList<(string Name, string Value)> Entries => entries;

    /// <summary>How many entries are compared within a tolerance rather than bitwise.</summary>
    public int WithTolerance => close.Count;

    public Fingerprint Add(string name, double value)
    {
        entries.Add((name, $"{value.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToInt64Bits(value):X16})"));
        return this;
    }

    /// <summary>A double that must agree with the other run's to within <paramref name="tolerance"/> (absolute).</summary>
    public Fingerprint Add(string name, double value, double tolerance)
    {
        close[entries.Count] = (value, tolerance);
        return Add(name, value);
    }

    public Fingerprint Add(string name, Tensor value)
    {
        // Raw bytes of a contiguous CPU copy: two tensors hash alike only when every element has the same bits.
        using var cpu = value.detach().cpu().contiguous();
        var hash = Convert.ToHexString(SHA256.HashData(cpu.bytes));
        entries.Add((name, $"{cpu.dtype}[{string.Join(",", cpu.shape)}] sha256:{hash}"));
        return this;
    }

    public Fingerprint Add(string name, byte[] bytes)
    {
        entries.Add((name, $"{bytes.Length} bytes sha256:{Convert.ToHexString(SHA256.HashData(bytes))}"));
        return this;
    }

    public Fingerprint Add(string name, string text)
    {
        entries.Add((name, text));
        return this;
    }

    /// <summary>Every entry that differs (by position), as "name: a ≠ b", plus a note when the counts differ.</summary>
    public static List<string> Differences(Fingerprint a, Fingerprint b)
    {
        var found = a.entries.Zip(b.entries)
            .Where((p, i) => p.First != p.Second && !WithinTolerance(a, b, i))
            .Select(p => p.First.Name == p.Second.Name
                ? $"{p.First.Name}: {p.First.Value} ≠ {p.Second.Value}"
                : $"entry {p.First.Name} where the other run has {p.Second.Name}")
            .ToList();
        if (a.entries.Count != b.entries.Count) found.Add($"{a.entries.Count} entries against {b.entries.Count}");
        return found;
    }

    static bool WithinTolerance(Fingerprint a, Fingerprint b, int i) =>
        a.entries[i].Name == b.entries[i].Name && a.close.TryGetValue(i, out var x) && b.close.TryGetValue(i, out var y)
        && Math.Abs(x.Value - y.Value) <= Math.Min(x.Tolerance, y.Tolerance);
}
