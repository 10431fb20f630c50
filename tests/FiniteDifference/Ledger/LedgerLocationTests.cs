namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// Finding proofs-ledger/ from where a command runs. Outside any repository the error is the one line <c>lmv why</c>
/// and <c>lmv ledger</c> print after their prefix (issue 12: <c>lmv why</c> printed a stack trace).
/// </summary>
public class LedgerLocationTests : IDisposable
{
    readonly string _outside = Path.Combine(Path.GetTempPath(), "lmv-location-test-" + Guid.NewGuid().ToString("N"));

    public LedgerLocationTests() => Directory.CreateDirectory(Path.Combine(_outside, "a", "b"));

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    [Fact]
    public void OutsideAnyRepository_TheErrorIsOneLineNamingEveryPlaceSearched_AndHowToPassTheFolder()
    {
        string first = Path.Combine(_outside, "a", "b"), second = Path.Combine(_outside, "a");
        var e = Assert.Throws<DirectoryNotFoundException>(() => LedgerLocation.DefaultDirectory([first, second]));
        Assert.Equal($"no LeanMlirVerify.sln above '{first}' or '{second}'; pass the ledger folder explicitly (--ledger DIR)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ARepositoryWithoutTheFolder_IsNamedInTheError()
    {
        File.WriteAllText(Path.Combine(_outside, LedgerLocation.SolutionFile), "");
        var e = Assert.Throws<DirectoryNotFoundException>(() => LedgerLocation.DefaultDirectory([Path.Combine(_outside, "a", "b")]));
        Assert.Equal($"the repository at '{_outside}' has no proofs-ledger/ folder", e.Message);
    }

    [Fact]
    public void ARepositoryWithTheFolder_IsFoundFromASubfolder()
    {
        File.WriteAllText(Path.Combine(_outside, LedgerLocation.SolutionFile), "");
        Directory.CreateDirectory(Path.Combine(_outside, LedgerLocation.FolderName));
        Assert.Equal(Path.Combine(_outside, "proofs-ledger"), LedgerLocation.DefaultDirectory([Path.Combine(_outside, "a", "b")]));
    }

    [Fact]
    public void AnExplicitFolderThatDoesNotExist_IsOneLine()
    {
        string missing = Path.Combine(_outside, "nowhere");
        var e = Assert.Throws<DirectoryNotFoundException>(() => ProofsLedger.Load(missing));
        Assert.Equal($"ledger folder '{missing}' does not exist", e.Message);
    }
}
