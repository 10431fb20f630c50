using System.Globalization;

namespace LeanMlirVerify.Training.Bestiary;

/// <summary>
/// A rounded count as the book writes it ("62M", "≈3.9M", "1.56B", "593K"). Its unit is the place value of the last
/// significant digit (trailing zeros of the integer part are not significant: "70M" is known to 10M, "0.4M" to 0.1M).
/// </summary>
public sealed record RoundedCount(string Text, long Value, long Unit)
{
    public static RoundedCount Parse(string text)
    {
        var s = text.Trim().TrimStart('≈', '~').Trim();
        if (s.Length < 2) throw new FormatException($"rounded count '{text}': expected digits and a K/M/B suffix");
        long scale = char.ToUpperInvariant(s[^1]) switch
        {
            'K' => 1_000, 'M' => 1_000_000, 'B' => 1_000_000_000,
            _ => throw new FormatException($"rounded count '{text}': the suffix must be K, M or B"),
        };
        var digits = s[..^1];
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
            throw new FormatException($"rounded count '{text}': '{digits}' is not a number");
        int point = digits.IndexOf('.');
        decimal unit = point >= 0 ? (decimal)Math.Pow(10, -(digits.Length - point - 1)) : 1m;
        if (point < 0)
            for (int i = digits.Length - 1; i > 0 && digits[i] == '0'; i--) unit *= 10;
        return new(text, (long)(mantissa * scale), (long)(unit * scale));
    }

    public override string ToString() => Text;
}

/// <summary>
/// What the book's chapter 11 says about a spec's size: the quote as written, the book's own rounded count of the
/// spec, the paper's figure where the book gives a comparable one, and a relative tolerance where the book states one
/// instead of a rounding ("within ≈5%" for Mamba).
/// </summary>
public sealed record Figure(string Quote, RoundedCount? Book = null, RoundedCount? Paper = null, double? Within = null)
{
    public static Figure NotQuoted(string quote = "not quoted") => new(quote);

    public static Figure Of(string quote, string book, string? paper = null, double? within = null) =>
        new(quote, RoundedCount.Parse(book), paper is null ? null : RoundedCount.Parse(paper), within);

    /// <summary>The figure the ratio is taken against: the paper's when the book gives one, otherwise the book's.</summary>
    public RoundedCount? Reference => Paper ?? Book;

    /// <summary>total / reference figure, or null when the book quotes nothing for this spec.</summary>
    public double? Ratio(long total) => Reference is { } r ? (double)total / r.Value : null;

    /// <summary>
    /// Whether <paramref name="total"/> rounds to the book's figure: within one unit of its last significant digit, or
    /// within the stated relative tolerance. True when the book quotes no count (nothing to contradict).
    /// </summary>
    public bool AdmitsTotal(long total) => Book is not { } b
        || (Within is { } w ? Math.Abs(total - b.Value) <= w * b.Value : Math.Abs(total - b.Value) < b.Unit);
}
