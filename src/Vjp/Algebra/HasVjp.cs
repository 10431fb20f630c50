using TorchSharp;
using static TorchSharp.torch;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>Maps an output cotangent <c>dy</c> to the input cotangent <c>dx</c>; accumulates parameter cotangents.</summary>
public delegate TIn Pullback<TIn, TOut>(TOut dy);

/// <summary>What every rule and combinator exposes regardless of its ranks: its ledger item, parts and parameters.</summary>
public interface IVjpNode
{
    /// <summary>The ledger item (an <c>ItemId</c> constant) this rule or combinator realises.</summary>
    string Item { get; }

    /// <summary>Human label with sizes, e.g. "dense 784→128".</summary>
    string Label { get; }

    /// <summary>Sub-rules this one is composed of (empty for a primitive).</summary>
    IReadOnlyList<IVjpNode> Children { get; }

    /// <summary>This node's parameters followed by its children's, in forward order.</summary>
    IEnumerable<Parameter> Parameters { get; }

    /// <summary>The tree of ledger items this backward rests on.</summary>
    ItemTree Describe();
}

/// <summary>
/// A differentiable map from <typeparamref name="TIn"/> to <typeparamref name="TOut"/> with its backward: the book's
/// <c>HasVJP</c> (vector → vector), <c>HasVJPMat</c> (matrix → matrix) and <c>HasVJP3</c> (3-tensor → 3-tensor) and the
/// bridges between ranks. <see cref="Forward(TIn)"/> returns the value and its <see cref="Pullback{TIn,TOut}"/>
/// (ChainRules' rrule shape). The pullback maps dy ↦ dx and adds parameter cotangents into <see cref="Parameter.Grad"/>.
/// </summary>
/// <remarks>
/// How to add a rule: derive from this class, pass the ledger item (<c>ItemId.xxx</c>) and a label to the base
/// constructor, register parameters with <see cref="Own"/>, check the input in <see cref="CheckInput"/> with
/// <see cref="Shapes.Require"/>, and implement <see cref="Run(TIn)"/>: compute y from x with TorchSharp ops on x's dtype
/// and device, and return a closure that computes dx from dy reusing the forward's tensors. The base class runs both
/// under <c>no_grad</c>, checks dy and dx shapes, and disposes the pullback's temporaries. Then add one entry to
/// <c>RuleCatalog</c> (id, item, domain, factory) so the property suite picks the rule up.
/// Prefer composition (<see cref="Compose"/>) over new backward code.
/// </remarks>
public abstract class HasVjp<TIn, TOut> : IVjpNode
    where TIn : IValue<TIn>
    where TOut : IValue<TOut>
{
    readonly List<Parameter> own = [];

    protected HasVjp(string item, string label)
    {
        Item = item;
        Label = label;
        Culprit = $"{label} [{item}]";
    }

    public string Item { get; }
    public string Label { get; }
    public virtual IReadOnlyList<IVjpNode> Children => [];
    public IEnumerable<Parameter> Parameters => own.Concat(Children.SelectMany(c => c.Parameters));

    /// <summary>The rule as it appears in error messages: label and ledger item (built once: every step's checks pass it).</summary>
    public string Culprit { get; }

    /// <summary>Runs the forward and returns y with the pullback that maps dy to dx.</summary>
    public (TOut y, Pullback<TIn, TOut> pullback) Forward(TIn x) => Forward(x, inputCotangent: true);

    /// <summary>
    /// Runs the forward. With <paramref name="inputCotangent"/> false, x is data (a network's input batch): the pullback
    /// still adds every parameter cotangent, skips the work for dx where the rule can (dense, conv and the
    /// combinators pass the flag to their first step), and returns <c>default</c> (no tensor) instead of dx.
    /// </summary>
    public (TOut y, Pullback<TIn, TOut> pullback) Forward(TIn x, bool inputCotangent)
    {
        using var noGrad = torch.no_grad();
        CheckInput(x);
        var (y, pullback) = Run(x, inputCotangent);
        // Mutation checks only: a fault is active inside Fault.Within, which only the mutant catalog calls.
        if (Fault.Current is { } fault) pullback = fault.Wrap(this, x, y, pullback, inputCotangent);
        // Shapes, not the tensors: a consumer may release a fresh output it has used up (see FreshOutput).
        var xt = Shapes.Of(x.T);
        var yt = Shapes.Of(y.T);
        return (y, dy =>
        {
            using var noGradBack = torch.no_grad();
            Shapes.RequireSame(dy.T, yt, Culprit, "dy");
            using var scope = NewDisposeScope();
            var dx = pullback(dy);
            // A rule that cannot skip dx computed it anyway: it dies with this scope.
            if (!inputCotangent) return default!;
            Shapes.RequireSame(dx.T, xt, Culprit, "dx");
            // An identity pullback hands dy back: it belongs to the caller already. Any other dx is new (rules must
            // not return forward caches) and leaves this scope with the caller; the rule's temporaries die here.
            if (!ReferenceEquals(dx.T, dy.T)) scope.MoveToOuter(dx.T);
            return dx;
        });
    }

    /// <summary>
    /// True when the y that <see cref="Forward(TIn, bool)"/> returns is a new tensor that neither this rule's pullback
    /// nor any view references, so its consumer may write into it or release it once used (the additive fan-in of
    /// attention's column slots does, keeping one [B, n, 3·d] buffer instead of five). False unless a rule says so.
    /// </summary>
    public virtual bool FreshOutput => false;

    /// <summary>
    /// False when neither the y that <see cref="Forward(TIn, bool)"/> returns nor the pullback holds x's tensor (a new y
    /// and a pullback that reads only its own tensors or x's shape): a consumer that made x fresh may then release it
    /// as soon as this forward returns (the chain does, so attention's Q·Kᵀ and its scaled copy do not live until the
    /// step ends). True unless a rule says so.
    /// </summary>
    public virtual bool KeepsInput => true;

    /// <summary>Forward only (evaluation): no pullback is kept.</summary>
    public TOut Apply(TIn x) => Forward(x).y;

    public virtual ItemTree Describe() =>
        new(Item, Label,
            [.. own.Select(p => new ItemTree(p.Item, $"∂{p.Name}", [])), .. Children.Select(c => c.Describe())]);

    public override string ToString() => Culprit;

    /// <summary>Computes y and the pullback. Called under <c>no_grad</c>; x has passed <see cref="CheckInput"/>.</summary>
    protected abstract (TOut y, Pullback<TIn, TOut> pullback) Run(TIn x);

    /// <summary>
    /// As <see cref="Run(TIn)"/>; a rule that can skip the work for dx overrides this and returns <c>default</c> from its
    /// pullback when <paramref name="inputCotangent"/> is false (its <see cref="Run(TIn)"/> is then <c>Run(x, true)</c>).
    /// </summary>
    protected virtual (TOut y, Pullback<TIn, TOut> pullback) Run(TIn x, bool inputCotangent) => Run(x);

    /// <summary>Throws <see cref="ShapeMismatchException"/> (via <see cref="Shapes.Require"/>) when x does not fit.</summary>
    protected virtual void CheckInput(TIn x) { }

    /// <summary>Registers a parameter owned by this rule; returns it for the caller's field.</summary>
    protected Parameter Own(Parameter p)
    {
        own.Add(p);
        return p;
    }
}

/// <summary>The tree of ledger items a backward rests on; a composed network renders as its items.</summary>
public sealed record ItemTree(string Item, string Label, IReadOnlyList<ItemTree> Children)
{
    /// <summary>Every ledger item in the tree, each once, in first-seen order.</summary>
    public IReadOnlyList<string> Items() =>
        [.. Walk().Select(d => d.Item).Distinct()];

    public IEnumerable<ItemTree> Walk() => Children.SelectMany(c => c.Walk()).Prepend(this);

    /// <summary>Indented text, one node per line: "label [item]".</summary>
    public string Render()
    {
        var lines = new List<string>();
        void Go(ItemTree d, int depth)
        {
            lines.Add($"{new string(' ', 2 * depth)}{d.Label} [{d.Item}]");
            foreach (var c in d.Children) Go(c, depth + 1);
        }
        Go(this, 0);
        return string.Join('\n', lines);
    }
}

/// <summary>
/// A named learnable tensor with its gradient slot. The pullback adds into <see cref="Grad"/>; the optimiser reads it.
/// Both tensors live outside any dispose scope (they live as long as the model).
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, string item, Tensor value)
    {
        Name = name;
        Item = item;
        Value = value.detach().DetachFromDisposeScope();
        grad = zeros_like(Value).DetachFromDisposeScope();
    }

    Tensor grad;

    // ZeroGrad only marks the gradient stale: the step's first cotangent then overwrites it (copy_, or addmm_ with β = 0)
    // instead of adding into zeros, which saves a pass over every gradient and an op per parameter. Anyone who reads
    // Grad while it is stale (a parameter no pullback reached, a check saving the gradient before a pullback) sees zeros.
    bool stale;

    public string Name { get; }

    /// <summary>The ledger item whose formula gives this parameter's cotangent (e.g. dense weight: item 34).</summary>
    public string Item { get; }

    public Tensor Value { get; private set; }

    /// <summary>The accumulated cotangent (zeros after <see cref="ZeroGrad"/> until the first contribution).</summary>
    public Tensor Grad
    {
        get
        {
            if (stale)
            {
                using var noGrad = torch.no_grad();
                grad.zero_();
                stale = false;
            }
            return grad;
        }
    }

    /// <summary>Adds a cotangent contribution (fan-out of a shared parameter sums here).</summary>
    public void Accumulate(Tensor g, string rule)
    {
        Shapes.RequireSame(g, Value, rule, $"cotangent of {Name}");
        using var noGrad = torch.no_grad();
        if (stale) grad.copy_(g);
        else grad.AddInPlace(g);
        stale = false;
    }

    /// <summary>
    /// Adds the cotangent a·b (a weight cotangent such as xᵀ·dy) into the gradient by one in-place GEMM: no temporary.
    /// The product is [m, n]; the parameter is [m, n] or, read as a matrix, [m, n] with its trailing axes flattened (a
    /// conv kernel [O, C, kh, kw] as [O, C·kh·kw]).
    /// </summary>
    public void AccumulateProduct(Tensor a, Tensor b, string rule)
    {
        // Sizes one axis at a time (Shapes.Of says why not .shape): this runs once per dense layer per step.
        if (a.dim() != 2 || b.dim() != 2 || Value.dim() < 2)
            throw ProductMismatch(a, b, rule);
        var (m, k, n) = (a.size(0), a.size(1), b.size(1));
        if (k != b.size(0) || Value.size(0) != m || Value.numel() != m * n || Value.dim() == 2 && Value.size(1) != n)
            throw ProductMismatch(a, b, rule);
        using var noGrad = torch.no_grad();
        // β = 0 ignores the stale contents entirely (NaN included), as libtorch documents for addmm.
        float beta = stale ? 0 : 1;
        stale = false;
        if (Value.dim() == 2) grad.addmm_(a, b, beta, 1);
        else
        {
            using var matrix = grad.view(m, n);
            matrix.addmm_(a, b, beta, 1);
        }
    }

    ShapeMismatchException ProductMismatch(Tensor a, Tensor b, string rule) =>
        new($"{rule}: cotangent of {Name} as the product {Shapes.Format(a)}·{Shapes.Format(b)} but {Name} is {Shapes.Format(Value)}");

    public void ZeroGrad() => stale = true;

    /// <summary>Moves value and gradient to a dtype and device (e.g. float64 CPU for checks, float32 CUDA for training).</summary>
    public void To(ScalarType dtype, Device device)
    {
        var value = Value.to(dtype, device).DetachFromDisposeScope();
        var old = Grad;
        var moved = old.to(dtype, device).DetachFromDisposeScope();
        if (!ReferenceEquals(value, Value)) Value.Dispose();
        if (!ReferenceEquals(moved, old)) old.Dispose();
        Value = value;
        grad = moved;
    }

    public override string ToString() => $"{Name}{Shapes.Format(Value)}";
}
