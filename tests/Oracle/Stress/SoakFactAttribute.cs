namespace LeanMlirVerify.Oracle.Stress;

/// <summary>The on-demand soak: runs only when <c>LMV_SOAK=1</c> (it takes minutes), skipped with the reason otherwise.</summary>
public static class Soak
{
    public const string Variable = "LMV_SOAK";

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    public const string SkipReason = "the GC-stress soak runs on demand: LMV_SOAK=1 dotnet test tests/Oracle --filter Category=Soak";
}

/// <summary>A fact of the soak (see <see cref="Soak"/>).</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (!Soak.Enabled) Skip = Soak.SkipReason;
    }
}

/// <summary>A theory of the soak (see <see cref="Soak"/>).</summary>
public sealed class SoakTheoryAttribute : TheoryAttribute
{
    public SoakTheoryAttribute()
    {
        if (!Soak.Enabled) Skip = Soak.SkipReason;
    }
}
