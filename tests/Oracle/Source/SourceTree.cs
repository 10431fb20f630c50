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

    /// <summary>The folder's C# files and those its project links in from elsewhere (<c>&lt;Compile Include="../…"/&gt;</c>).</summary>
    public static IEnumerable<(string Path, string Text)> CSharpFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                     && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Concat(ProjectItems(folder, "Compile").Select(i => Path.GetFullPath(Path.Combine(Root, folder, i))))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(Root, p), File.ReadAllText(p)));

    /// <summary>The project's global usings (<c>&lt;Using Include="…"/&gt;</c>) as source, for a scan that compiles its files.</summary>
    public static string GlobalUsings(string folder) =>
        string.Concat(ProjectItems(folder, "Using").Select(u => $" global using {u};"));

    /// <summary>The Include of every <paramref name="item"/> element of the folder's project file.</summary>
    static IEnumerable<string> ProjectItems(string folder, string item) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj")
            .SelectMany(p => System.Xml.Linq.XDocument.Load(p).Descendants(item))
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>();

    /// <summary>The projects (the samples included), each with the assembly it builds (the scan compiles a project against the others' builds).</summary>
    public static readonly (string Folder, string Assembly)[] Projects =
    [
        ("src/Calculus", "LeanMlirVerify.Calculus"), ("src/Vjp", "LeanMlirVerify.Vjp"), ("src/Training", "LeanMlirVerify.Training"),
        ("src/Cli", "lmv"), ("src/Testing", "LeanMlirVerify.Testing"),
        ("tests/FiniteDifference", "LeanMlirVerify.FiniteDifference"), ("tests/Oracle", "LeanMlirVerify.Oracle"),
        // The samples are what users copy: they follow the same rule.
        ("samples/GradCheckSample", "GradCheckSample"), ("samples/CustomLayerSample", "CustomLayerSample"),
    ];

    /// <summary>The framework and every assembly beside this test (the src projects and every package) but <paramref
    /// name="self"/>.</summary>
    public static IEnumerable<string> References(string self) =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => Path.GetFileNameWithoutExtension(p) != self
                     && !Path.GetFileName(p).StartsWith("LeanMlirVerify.Oracle", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName).Select(g => g.First());
}
