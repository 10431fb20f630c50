using LeanMlirVerify.Calculus.Ledger;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Checking;

/// <summary>One of the book's 25 finite-difference checks (Appendix B; facts sheet §1.2), run against our code.</summary>
public sealed record BookCheck(int Number, string Name, string Item, string Sizes, Func<IReadOnlyList<CheckResult>> Run);

/// <summary>
/// The book's finite-difference checks with the book's names and sizes, in float64 with ε = 1e-5, each on its own
/// seed (so a check's data does not depend on which others ran). Unlike the book's script, each computes: the
/// pullback of the rule that training runs is compared with central differences of its forward.
/// One partial file per family: checks 1–5 here, 6–15 and 22–24 in <c>BookChecks.Cnn.cs</c>, 16–21 and 25 in
/// <c>BookChecks.Transformer.cs</c>.
/// </summary>
public static partial class BookChecks
{
    static readonly Lazy<IReadOnlyList<BookCheck>> all = new(() =>
    {
        var list = new List<BookCheck>();
        list.AddRange(Part1());
        list.AddRange(Cnn());
        list.AddRange(Transformer());
        return [.. list.OrderBy(c => c.Number)];
    });

    public static IReadOnlyList<BookCheck> All => all.Value;

    public static BookCheck Get(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"no book check '{name}'");

    /// <summary>Float64 CPU parameters and points for check <paramref name="number"/>.</summary>
    public static Init InitFor(int number) => Init.Float64Cpu(1000 + number);

    /// <summary>The row of a cotangent check that belongs to the parameter ending in <paramref name="parameterSuffix"/>, renamed.</summary>
    public static CheckResult Row(IReadOnlyList<CheckResult> rows, string parameterSuffix, string check, string item) =>
        rows.Single(r => r.Check.EndsWith(parameterSuffix, StringComparison.Ordinal)) with { Check = check, Item = item };

    static IEnumerable<BookCheck> Part1()
    {
        yield return new(1, "pdiv_id", ItemId.pdiv_id, "x∈R⁵", () =>
        {
            var x = InitFor(1).Point(1, 5);
            var rule = Compose.Identity<Vec>();
            var c = CheckCase.Of(rule, x, "x∈R⁵");
            var fd = FiniteDifference.Jacobian(c.Forward, x);
            var eye = Enumerable.Range(0, 25).Select(k => k / 5 == k % 5 ? 1.0 : 0.0).ToArray();
            return
            [
                FiniteDifference.Compare(ItemId.pdiv_id, "pdiv_id (FD Jacobian = I)", c.Sizes, eye, FiniteDifference.Flatten(fd),
                    shape: [5, 5]),
                VjpCheck.Jacobian(c, "pdiv_id (pullback Jacobian)", ItemId.identity_has_vjp),
            ];
        });
        yield return new(2, "pdiv_dense", ItemId.pdiv_dense, "x∈R⁴, W 4×3, b∈R³", () =>
        {
            var (c, _) = DenseCase(2);
            return [VjpCheck.Jacobian(c, "pdiv_dense", ItemId.pdiv_dense)];
        });
        yield return new(3, "pdiv_dense_W", ItemId.dense_weight_grad_correct, "x∈R⁴, W 4×3, b∈R³", () =>
        {
            var (c, dy) = DenseCase(3);
            return [Row(VjpCheck.Cotangent(c, dy), "∂dense.W", "pdiv_dense_W", ItemId.dense_weight_grad_correct)];
        });
        yield return new(4, "pdiv_dense_b", ItemId.dense_bias_grad_correct, "x∈R⁴, W 4×3, b∈R³", () =>
        {
            var (c, dy) = DenseCase(4);
            return [Row(VjpCheck.Cotangent(c, dy), "∂dense.b", "pdiv_dense_b", ItemId.dense_bias_grad_correct)];
        });
        yield return new(5, "pdiv_relu", ItemId.pdiv_relu, "x∈R⁵", () =>
        {
            var x = InitFor(5).AwayFrom([0], 1e-3, 1, 1, 5);
            return [VjpCheck.Jacobian(CheckCase.Of(Activations.Relu<Vec>(), x, "x∈R⁵"), "pdiv_relu", ItemId.pdiv_relu)];
        });
    }

    static (CheckCase c, Tensor dy) DenseCase(int number)
    {
        var init = InitFor(number);
        var dense = new Dense(init.Point(4, 3), init.Point(3));
        return (CheckCase.Of(dense, init.Point(1, 4), "x∈R⁴, W 4×3, b∈R³"), init.Point(1, 3));
    }
}

/// <summary>Runs the book checks (optionally one item or check name) and returns their rows, for the CLI and tests.</summary>
public static class FdSuite
{
    public static IReadOnlyList<CheckResult> Run(string? filter = null)
    {
        var rows = new List<CheckResult>();
        foreach (var check in BookChecks.All.Where(c => Matches(c, filter)))
        {
            using var scope = NewDisposeScope();
            rows.AddRange(check.Run());
        }
        if (filter is not null && rows.Count == 0)
            throw new KeyNotFoundException($"no finite-difference check or ledger item matches '{filter}'");
        return rows;
    }

    static bool Matches(BookCheck c, string? filter) =>
        filter is null
        || c.Name.Equals(filter, StringComparison.OrdinalIgnoreCase)
        || c.Item.Equals(filter, StringComparison.OrdinalIgnoreCase);
}
