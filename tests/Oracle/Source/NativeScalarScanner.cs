using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LeanMlirVerify.Oracle.Source;

/// <summary>
/// Finds every place in C# source where a TorchSharp <c>Scalar</c> or <c>Tensor</c> is made on the fly from a number
/// (an implicit conversion, a Tensor operator taking a number, a cast, or <c>ToScalar()</c>/<c>ToTensor()</c> used
/// inline) and handed to a call. Such a temporary is unreachable once its handle is loaded, so the garbage collector may
/// finalize it while libtorch still reads it. Allowed: a value whose lifetime covers the call, i.e. bound by
/// <c>using</c>, stored in a field or property, or returned. Also found: calls of the TorchSharp members that make such a
/// temporary themselves (<c>x + y</c> and <c>x.add_(y)</c> pass an alpha of 1, <c>x.square()</c> is <c>pow(2)</c>), read
/// from TorchSharp's IL by <see cref="TorchSharpInternals"/>.
/// </summary>
public static class NativeScalarScanner
{
    public sealed record Finding(string File, int Line, int Column, string Code, string Why)
    {
        public override string ToString() => $"{File}:{Line}:{Column}: {Why}: {Code}";
    }

    /// <summary>
    /// Scans one project's sources, compiled against <paramref name="referencePaths"/> as <paramref name="assembly"/> (its
    /// real name, so that the InternalsVisibleTo of the projects it references apply).
    /// </summary>
    public static IReadOnlyList<Finding> Scan(IEnumerable<(string Path, string Text)> sources, IEnumerable<string> referencePaths,
        string assembly = "scan", bool executable = false, string extraUsings = "")
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(GlobalUsings + extraUsings, parse, "GlobalUsings.g.cs"));
        var options = new CSharpCompilationOptions(executable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable);
        var compilation = CSharpCompilation.Create(
            assembly, trees, referencePaths.Select(p => MetadataReference.CreateFromFile(p)), options);
        // CS8795: a [GeneratedRegex] partial method, whose other half a source generator writes at build time.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Take(5).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException(
                "the sources do not compile for the scan (a missing reference hides conversions):\n" + string.Join("\n", errors));
        var torchSharp = referencePaths.First(p => Path.GetFileName(p) == "TorchSharp.dll");
        var hidden = HiddenMakers.GetOrAdd(torchSharp, TorchSharpInternals.HiddenTemporaryMethods);
        var findings = new List<Finding>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (Why(model, node, hidden) is not { } why) continue;
                var start = node.GetLocation().GetLineSpan().StartLinePosition;
                findings.Add(new(tree.FilePath, start.Line + 1, start.Character + 1, node.ToString(), why));
            }
        }
        return findings;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<int>> HiddenMakers = new();

    static string? Why(SemanticModel model, SyntaxNode node, HashSet<int> hidden) => node switch
    {
        ExpressionSyntax e when IsImplicitNativeConversion(model, e)
            => "implicit conversion to " + model.GetTypeInfo(e).ConvertedType!.Name,
        BinaryExpressionSyntax or AssignmentExpressionSyntax when NumberOperator(model, (ExpressionSyntax)node) is { } op
            => $"operator {op} on a Tensor and a number (TorchSharp makes the Scalar without a lifetime)",
        CastExpressionSyntax c when IsNative(model.GetTypeInfo(c).Type) && !IsNative(model.GetTypeInfo(c.Expression).Type) && !Owned(c)
            => "cast to " + model.GetTypeInfo(c).Type!.Name + " without a lifetime",
        InvocationExpressionSyntax i when IsMaker(model, i) && !Owned(i)
            => "temporary " + model.GetTypeInfo(i).Type!.Name + " without a lifetime",
        InvocationExpressionSyntax or BinaryExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax
            when model.GetSymbolInfo(node).Symbol is IMethodSymbol { ContainingAssembly.Name: "TorchSharp" } m
                && hidden.Contains(m.OriginalDefinition.MetadataToken) && !TensorsOnlyScriptCall(model, node, m)
            => $"TorchSharp's {m.ContainingType.Name}.{m.Name} makes a Scalar or Tensor inside, without a lifetime",
        _ => null,
    };

    /// <summary>
    /// A TorchScript call (<c>CompilationUnit.invoke</c>, <c>ScriptModule.invoke</c>) whose every argument after the
    /// function's name is typed Tensor. Its marshalling (ScriptModule.DetermineArgumentTypeRefs) makes a Scalar only from
    /// a float, double or long argument; a Tensor is handed on by its own handle, which the caller holds.
    /// </summary>
    static bool TensorsOnlyScriptCall(SemanticModel model, SyntaxNode node, IMethodSymbol m) =>
        m is { Name: "invoke", ContainingType.Name: "CompilationUnit" or "ScriptModule" }
        && node is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: > 1 } arguments }
        && arguments.Skip(1).All(a => model.GetTypeInfo(a.Expression).Type is { Name: "Tensor" } t && IsNative(t));

    const string GlobalUsings = "global using System; global using System.Collections.Generic; global using System.IO;"
        + " global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    static bool IsNative(ITypeSymbol? t) =>
        t is not null && t.ContainingNamespace?.ToDisplayString() is "TorchSharp"
        && (t.Name is "Scalar" || t.Name is "Tensor" && t.ContainingType?.Name == "torch");

    static bool IsImplicitNativeConversion(SemanticModel model, ExpressionSyntax e)
    {
        var conversion = model.GetConversion(e);
        var type = model.GetTypeInfo(e);
        return conversion.IsUserDefined && conversion.IsImplicit && IsNative(type.ConvertedType) && !IsNative(type.Type);
    }

    /// <summary>A Tensor operator overload taking a plain number (<c>x * 0.5</c>, <c>x += 1</c>): it converts inside TorchSharp.</summary>
    static string? NumberOperator(SemanticModel model, ExpressionSyntax e) =>
        model.GetSymbolInfo(e).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } m
        && IsNative(m.ContainingType)
        && m.Parameters.Any(p => p.Type.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double)
            ? m.Name : null;

    static bool IsMaker(SemanticModel model, InvocationExpressionSyntax i) =>
        model.GetSymbolInfo(i).Symbol is IMethodSymbol { Name: "ToScalar" or "ToTensor" } m && IsNative(m.ReturnType);

    /// <summary>The made value is bound by <c>using</c>, stored in a field or property, or returned.</summary>
    static bool Owned(SyntaxNode made)
    {
        var parent = made.Parent;
        while (parent is ParenthesizedExpressionSyntax) parent = parent.Parent;
        return parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax d } } =>
                d.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 }
                    or UsingStatementSyntax or FieldDeclarationSyntax,
            EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax } => true,
            ArrowExpressionClauseSyntax or ReturnStatementSyntax => true,
            AssignmentExpressionSyntax a => a.Right == made || a.Right.DescendantNodesAndSelf().Contains(made),
            _ => false,
        };
    }
}
