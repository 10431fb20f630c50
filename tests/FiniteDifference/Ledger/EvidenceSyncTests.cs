using System.Reflection;
using System.Reflection.Emit;

namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

public class EvidenceSyncTests
{
    static readonly IReadOnlySet<EvidenceKind> Fd = EvidenceSync.FiniteDifferenceKinds;
    static readonly IReadOnlySet<EvidenceKind> PropertyOnly = new HashSet<EvidenceKind> { EvidenceKind.Property };

    /// <summary>
    /// An in-memory assembly with one class, Fixture.SymbolicChecks, whose methods carry the given [Evidence]; built at
    /// run time so that these attributes never count as evidence of the real test assembly.
    /// </summary>
    static Assembly Carrier(params (string Item, EvidenceKind Kind, string Method)[] evidence)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(
            new AssemblyName("Carrier" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("carrier").DefineType("Fixture.SymbolicChecks", TypeAttributes.Public);
        var attribute = typeof(EvidenceAttribute).GetConstructor([typeof(string), typeof(EvidenceKind)])!;
        foreach (var method in evidence.GroupBy(e => e.Method))
        {
            var m = type.DefineMethod(method.Key, MethodAttributes.Public | MethodAttributes.Static, typeof(void), Type.EmptyTypes);
            m.GetILGenerator().Emit(OpCodes.Ret);
            foreach (var e in method) m.SetCustomAttribute(new CustomAttributeBuilder(attribute, [e.Item, e.Kind]));
        }
        type.CreateType();
        return assembly;
    }

    /// <summary>
    /// An in-memory class Fixture.PropertyChecks whose method EveryRule carries [EvidenceFrom(Property, member)] and whose
    /// static method CheckedItems returns <paramref name="items"/>: a table-driven test and its table.
    /// </summary>
    static Assembly DataCarrier(string member, params string[] items)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(
            new AssemblyName("DataCarrier" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("carrier").DefineType("Fixture.PropertyChecks", TypeAttributes.Public);
        var il = type.DefineMethod("CheckedItems", MethodAttributes.Public | MethodAttributes.Static, typeof(IEnumerable<string>),
            Type.EmptyTypes).GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, items.Length);
        il.Emit(OpCodes.Newarr, typeof(string));
        for (int k = 0; k < items.Length; k++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, k);
            il.Emit(OpCodes.Ldstr, items[k]);
            il.Emit(OpCodes.Stelem_Ref);
        }
        il.Emit(OpCodes.Ret);
        var test = type.DefineMethod("EveryRule", MethodAttributes.Public | MethodAttributes.Static, typeof(void), Type.EmptyTypes);
        test.GetILGenerator().Emit(OpCodes.Ret);
        var attribute = typeof(EvidenceFromAttribute).GetConstructor([typeof(EvidenceKind), typeof(string)])!;
        test.SetCustomAttribute(new CustomAttributeBuilder(attribute, [EvidenceKind.Property, member]));
        type.CreateType();
        return assembly;
    }

    static readonly (string, EvidenceKind, string) ReluNetSymbolic = ("relu_net", EvidenceKind.Symbolic, "ReluNet");
    static readonly (string, EvidenceKind, string) ReluAxFd = ("relu_ax", EvidenceKind.FiniteDifference, "ReluJacobian");

    [Fact]
    public void Collect_ReadsEveryEvidenceAttribute_AsNamespaceClassMethod()
    {
        var uses = EvidenceSync.Collect(Carrier(ReluNetSymbolic, ReluAxFd, ("relu_ax", EvidenceKind.Property, "ReluJacobian")));
        Assert.Equal(
            [
                new EvidenceUse("relu_ax", EvidenceKind.FiniteDifference, "Fixture.SymbolicChecks.ReluJacobian"),
                new EvidenceUse("relu_ax", EvidenceKind.Property, "Fixture.SymbolicChecks.ReluJacobian"),
                new EvidenceUse("relu_net", EvidenceKind.Symbolic, "Fixture.SymbolicChecks.ReluNet"),
            ], uses);
    }

    [Fact]
    public void Collect_ReadsEvidenceFromData_OneUsePerItemTheTableNames()
    {
        var uses = EvidenceSync.Collect(DataCarrier("CheckedItems", "relu_net", "relu_ax", "relu_ax"));
        Assert.Equal(
            [
                new EvidenceUse("relu_ax", EvidenceKind.Property, "Fixture.PropertyChecks.EveryRule"),
                new EvidenceUse("relu_net", EvidenceKind.Property, "Fixture.PropertyChecks.EveryRule"),
            ], uses);
    }

    [Fact]
    public void Collect_EvidenceFromAMissingMember_ThrowsNamingTheTestMethod()
    {
        var e = Assert.Throws<InvalidOperationException>(() => EvidenceSync.Collect(DataCarrier("NoSuchTable", "relu_ax")));
        Assert.Contains("[EvidenceFrom(Property, \"NoSuchTable\")] on Fixture.PropertyChecks.EveryRule", e.Message);
    }

    [Fact]
    public void Sync_TableThatGainsOrLosesAnItem_IsDriftUntilTheLedgerIsRewritten()
    {
        string dir = LedgerFixtures.CopyToTemp("valid");
        try
        {
            var both = DataCarrier("CheckedItems", "relu_ax", "relu_net");
            var gained = EvidenceSync.Sync(both, PropertyOnly, dir, update: false);
            Assert.Equal(["relu_ax", "relu_net"], gained.Drift.Select(d => d.Item.Name).Order());
            var entry = new EvidenceEntry(EvidenceKind.Property, "Fixture.PropertyChecks.EveryRule");
            Assert.All(gained.Drift, d => Assert.Equal([entry], d.Missing));
            Assert.Equal(["ch03-small.yaml"], EvidenceSync.Sync(both, PropertyOnly, dir, update: true).Updated);

            var lost = EvidenceSync.Sync(DataCarrier("CheckedItems", "relu_ax"), PropertyOnly, dir, update: false);
            var stale = Assert.Single(lost.Drift);
            Assert.Equal("relu_net", stale.Item.Name);
            Assert.Equal([new EvidenceEntry(EvidenceKind.Property, "Fixture.PropertyChecks.EveryRule")], stale.Stale);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Compare_TableNamingAnUnknownItem_IsAnError()
    {
        var report = EvidenceSync.Compare(LedgerFixtures.Valid(), EvidenceSync.Collect(DataCarrier("CheckedItems", "no_such_item")), Fd);
        Assert.Equal(["[Evidence(\"no_such_item\", Property)] on Fixture.PropertyChecks.EveryRule names no ledger item"], report.Errors);
    }

    [Fact]
    public void Compare_ReportsAMissingLedgerEntry_AsDriftNamingFileAndItem()
    {
        var report = EvidenceSync.Compare(LedgerFixtures.Valid(), EvidenceSync.Collect(Carrier(ReluNetSymbolic, ReluAxFd)), Fd);
        Assert.Empty(report.Errors);
        var drift = Assert.Single(report.Drift);
        Assert.Equal("relu_ax", drift.Item.Name);
        Assert.Equal([new EvidenceEntry(EvidenceKind.FiniteDifference, "Fixture.SymbolicChecks.ReluJacobian")], drift.Missing);
        Assert.Empty(drift.Stale);
        string text = report.Describe(EvidenceSync.FixCommand("tests/FiniteDifference"));
        Assert.Contains("ch03-small.yaml: Axiom 3 relu_ax: missing {finite-difference: Fixture.SymbolicChecks.ReluJacobian}", text);
        Assert.Contains("LMV_UPDATE_EVIDENCE=1 dotnet test tests/FiniteDifference --filter Ledger_Evidence", text);
    }

    [Fact]
    public void Compare_ReportsAStaleLedgerEntry_AndIgnoresKindsItDoesNotOwn()
    {
        var report = EvidenceSync.Compare(LedgerFixtures.Valid(), EvidenceSync.Collect(Carrier()), Fd);
        var drift = Assert.Single(report.Drift);
        Assert.Equal("relu_net", drift.Item.Name);
        Assert.Equal([new EvidenceEntry(EvidenceKind.Symbolic, "Fixture.SymbolicChecks.ReluNet")], drift.Stale);
        Assert.DoesNotContain(report.Drift, d => d.Item.Name == "pdiv_comp"); // its oracle entry belongs to tests/Oracle
    }

    [Fact]
    public void Compare_RejectsEvidenceNamingAnUnknownItem()
    {
        var uses = EvidenceSync.Collect(Carrier(ReluNetSymbolic, ("no_such_item", EvidenceKind.Symbolic, "Ghost")));
        var report = EvidenceSync.Compare(LedgerFixtures.Valid(), uses, Fd);
        Assert.False(report.Clean);
        Assert.Equal(["[Evidence(\"no_such_item\", Symbolic)] on Fixture.SymbolicChecks.Ghost names no ledger item"], report.Errors);
    }

    [Fact]
    public void Compare_RejectsAKindTheOtherProjectOwns()
    {
        var uses = EvidenceSync.Collect(Carrier(ReluNetSymbolic, ("relu_ax", EvidenceKind.Oracle, "Autograd")));
        var report = EvidenceSync.Compare(LedgerFixtures.Valid(), uses, Fd);
        var error = Assert.Single(report.Errors);
        Assert.Contains("belongs in the test project that owns it (tests/Oracle)", error);
    }

    [Fact]
    public void Sync_WithUpdate_RewritesOnlyTheOwnedKinds_Canonically()
    {
        string dir = LedgerFixtures.CopyToTemp("valid");
        try
        {
            string before02 = File.ReadAllText(Path.Combine(dir, "ch02-foundation.yaml"));
            var report = EvidenceSync.Sync(Carrier(ReluNetSymbolic, ReluAxFd), Fd, dir, update: true);
            Assert.True(report.Clean);
            Assert.Equal(["ch03-small.yaml"], report.Updated);
            var ledger = ProofsLedger.Load(dir);
            Assert.Equal([new EvidenceEntry(EvidenceKind.FiniteDifference, "Fixture.SymbolicChecks.ReluJacobian")],
                ledger["relu_ax"].Evidence);
            Assert.Equal([new EvidenceEntry(EvidenceKind.Oracle, "Fixture.OracleChecks.ChainRule")], ledger["pdiv_comp"].Evidence);
            Assert.Equal(before02, File.ReadAllText(Path.Combine(dir, "ch02-foundation.yaml")));
            Assert.Equal(LedgerWriter.WriteChapter(ledger.Chapters[1]), File.ReadAllText(Path.Combine(dir, "ch03-small.yaml")));
            Assert.True(EvidenceSync.Sync(Carrier(ReluNetSymbolic, ReluAxFd), Fd, dir, update: false).Clean);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Sync_WithUpdate_LeavesFilesUntouched_WhenAnAttributeNamesAnUnknownItem()
    {
        string dir = LedgerFixtures.CopyToTemp("valid");
        try
        {
            string before = File.ReadAllText(Path.Combine(dir, "ch03-small.yaml"));
            var report = EvidenceSync.Sync(Carrier(ReluAxFd, ("no_such_item", EvidenceKind.Symbolic, "Ghost")), Fd, dir, update: true);
            Assert.NotEmpty(report.Errors);
            Assert.NotEmpty(report.Drift);
            Assert.Empty(report.Updated);
            Assert.Equal(before, File.ReadAllText(Path.Combine(dir, "ch03-small.yaml")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void MissingRequiredEvidence_ReportsADeclaredKindThatIsAbsent()
    {
        var missing = EvidenceSync.MissingRequiredEvidence(LedgerFixtures.Valid());
        Assert.Equal(["ch02-foundation.yaml: Theorem 2 pdiv_comp: requires symbolic evidence and has none"], missing);
    }

    [Fact]
    public void ConsistencyEntries_AreOwnedByTheProjectWhoseTestsTheyAre()
    {
        // Both projects list consistency checks; each owns the entries of its own tests, so neither calls the other's stale.
        var ledger = LedgerFixtures.Repository();
        var uses = EvidenceSync.Collect(typeof(EvidenceSyncTests).Assembly);
        Assert.Contains(uses, u => u.Kind == EvidenceKind.Consistency);
        Assert.Contains(ledger.Items.SelectMany(i => i.Evidence),
            e => e.Kind == EvidenceKind.Consistency && e.Check.StartsWith("LeanMlirVerify.Oracle.", StringComparison.Ordinal));
        var report = EvidenceSync.Compare(ledger, uses, Fd, "LeanMlirVerify.FiniteDifference.");
        Assert.True(report.Clean, report.Describe("(fix)"));
        var withoutPrefix = EvidenceSync.Compare(ledger, uses, Fd);
        Assert.Contains(withoutPrefix.Errors, e => e.Contains("evidence of kind consistency", StringComparison.Ordinal));
    }

    [Fact]
    public void AConsistencyCheck_IsNotCountedAsEvidenceForTheFormula()
    {
        var item = LedgerFixtures.Valid()["relu_net"] with { Evidence = [new(EvidenceKind.Consistency, "A.B.C")] };
        Assert.Equal(EvidenceStatus.None, item.EvidenceStatus);
        var full = item with
        {
            Evidence = [new(EvidenceKind.Symbolic, "A.S"), new(EvidenceKind.FiniteDifference, "A.F"), new(EvidenceKind.Consistency, "A.C")],
        };
        Assert.Equal(EvidenceStatus.Some, full.EvidenceStatus);
    }
}
