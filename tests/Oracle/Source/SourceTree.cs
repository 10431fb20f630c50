namespace LeanMlirVerify.Oracle.Source;

/// <summary>The repository's C# sources and the assemblies they compile against, for source-level checks.</summary>
static class SourceTree
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LeanMlirVerify.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("LeanMlirVerify.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static IEnumerable<(string Path, string Text)> CSharpFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                     && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(Root, p), File.ReadAllText(p)));

    /// <summary>The projects, each with the assembly it builds (the scan compiles a project against the others' builds).</summary>
    public static readonly (string Folder, string Assembly)[] Projects =
    [
        ("src/Calculus", "LeanMlirVerify.Calculus"), ("src/Vjp", "LeanMlirVerify.Vjp"), ("src/Training", "LeanMlirVerify.Training"),
        ("src/Cli", "lmv"), ("src/Testing", "LeanMlirVerify.Testing"),
        ("tests/FiniteDifference", "LeanMlirVerify.FiniteDifference"), ("tests/Oracle", "LeanMlirVerify.Oracle"),
    ];

    /// <summary>The framework and every assembly beside this test (the src projects and every package) but <paramref name="self"/>.</summary>
    public static IEnumerable<string> References(string self) =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => Path.GetFileNameWithoutExtension(p) != self
                     && !Path.GetFileName(p).StartsWith("LeanMlirVerify.Oracle", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName).Select(g => g.First());
}
