namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>Finds the repository (the folder holding LeanMlirVerify.sln) and its proofs-ledger/ folder.</summary>
public static class LedgerLocation
{
    public const string SolutionFile = "LeanMlirVerify.sln";
    public const string FolderName = "proofs-ledger";

    /// <summary>The repository root found by walking up from the current directory, then from the program's own folder.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The repository's proofs-ledger/ folder; throws with the places searched when there is none.</summary>
    public static string DefaultDirectory()
    {
        string? root = FindRepositoryRoot();
        if (root is null)
            throw new DirectoryNotFoundException(
                $"no {SolutionFile} above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}'; pass the ledger folder explicitly (--ledger DIR)");
        string dir = Path.Combine(root, FolderName);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"the repository at '{root}' has no {FolderName}/ folder");
        return dir;
    }
}
