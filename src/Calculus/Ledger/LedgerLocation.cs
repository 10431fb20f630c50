namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>Finds the repository (the folder holding LeanMlirVerify.sln) and its proofs-ledger/ folder.</summary>
public static class LedgerLocation
{
    public const string SolutionFile = "LeanMlirVerify.sln";
    public const string FolderName = "proofs-ledger";

    /// <summary>Where the search starts: the current directory, then the program's own folder.</summary>
    static string[] Starts => [Directory.GetCurrentDirectory(), AppContext.BaseDirectory];

    /// <summary>The repository root found by walking up from the current directory, then from the program's own folder.</summary>
    public static string? FindRepositoryRoot() => FindRepositoryRoot(Starts);

    /// <summary>The first folder holding the solution file at or above one of <paramref name="starts"/>, in order.</summary>
    public static string? FindRepositoryRoot(IReadOnlyList<string> starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The repository's proofs-ledger/ folder; throws with the places searched when there is none.</summary>
    public static string DefaultDirectory() => DefaultDirectory(Starts);

    /// <summary>
    /// The proofs-ledger/ folder of the repository around <paramref name="starts"/>; throws a one-line
    /// <see cref="DirectoryNotFoundException"/> naming the places searched when there is none.
    /// </summary>
    public static string DefaultDirectory(IReadOnlyList<string> starts)
    {
        string? root = FindRepositoryRoot(starts);
        if (root is null)
            throw new DirectoryNotFoundException($"no {SolutionFile} above {string.Join(" or ", starts.Select(s => $"'{s}'"))}; "
                + "pass the ledger folder explicitly (--ledger DIR)");
        string dir = Path.Combine(root, FolderName);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"the repository at '{root}' has no {FolderName}/ folder");
        return dir;
    }
}
