using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace LeanMlirVerify.Oracle.Source;

/// <summary>
/// Reads TorchSharp's own IL to find its members that make a Scalar or Tensor from a number inside themselves and hand it
/// on with nothing keeping it alive: <c>square()</c> is <c>pow(2)</c>, <c>add(y)</c> is <c>add(y, 1)</c>, and
/// <c>x + y</c> calls <c>add(y)</c>. A caller cannot give that temporary a lifetime, so the scan reports the call
/// (found by the GC stress suite, tests/Oracle/Stress, after every number in our own code had an explicit Scalar).
/// </summary>
public static class TorchSharpInternals
{
    /// <summary>The makers: what converts a number to a native value (a caller's temporary is the risk).</summary>
    static bool IsMaker(string type, string name) =>
        name is "ToScalar" or "ToTensor" || name == "op_Implicit" && type is "Scalar" or "Tensor";

    static readonly Lazy<Dictionary<short, OperandType>> Operands = new(() =>
        typeof(OpCodes).GetFields().Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType));

    /// <summary>
    /// Metadata tokens of the methods of the assembly at <paramref name="path"/> (TorchSharp.dll) that call a maker and do not
    /// return its result at once, or that call such a method; the makers themselves are not listed (the scan checks
    /// where their results go).
    /// </summary>
    public static HashSet<int> HiddenTemporaryMethods(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var calls = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        var hidden = new HashSet<MethodDefinitionHandle>();
        foreach (var handle in md.MethodDefinitions)
        {
            var def = md.GetMethodDefinition(handle);
            if (def.RelativeVirtualAddress == 0 || IsMaker(TypeName(md, def), md.GetString(def.Name))) continue;
            var callees = new List<MethodDefinitionHandle>();
            foreach (var (token, returned) in Calls(pe.GetMethodBody(def.RelativeVirtualAddress).GetILReader()))
            {
                var (type, name, local) = Describe(md, MetadataTokens.EntityHandle(token));
                if (IsMaker(type, name) && !returned) hidden.Add(handle); // returned at once (return false → Tensor): the caller owns it
                else if (local is { } callee) callees.Add(callee);
            }
            calls[handle] = callees;
        }
        // A caller of a hidden method is hidden too: propagate to a fixed point.
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var (caller, callees) in calls)
                if (!hidden.Contains(caller) && callees.Any(hidden.Contains)) changed = hidden.Add(caller) || changed;
        }
        return [.. hidden.Select(h => MetadataTokens.GetToken(h))];
    }

    static string TypeName(MetadataReader md, MethodDefinition def) => md.GetString(md.GetTypeDefinition(def.GetDeclaringType()).Name);

    /// <summary>The called method's type and name, and its handle when it is defined in the same assembly.</summary>
    static (string Type, string Name, MethodDefinitionHandle? Local) Describe(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var definition = (MethodDefinitionHandle)handle;
                var def = md.GetMethodDefinition(definition);
                return (TypeName(md, def), md.GetString(def.Name), definition);
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                var type = member.Parent.Kind switch
                {
                    HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)member.Parent).Name),
                    HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)member.Parent).Name),
                    _ => "",
                };
                return (type, md.GetString(member.Name), null);
            case HandleKind.MethodSpecification:
                return Describe(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return ("", "", null);
        }
    }

    /// <summary>The method token of every call, callvirt and newobj in a method body, and whether a ret follows at once.</summary>
    static List<(int Token, bool Returned)> Calls(BlobReader il)
    {
        var found = new List<(int, bool)>();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE) code = unchecked((short)(0xFE00 | il.ReadByte()));
            if (code == OpCodes.Call.Value || code == OpCodes.Callvirt.Value || code == OpCodes.Newobj.Value)
            {
                int token = il.ReadInt32();
                var next = il; // a copy: peeks at the next opcode without moving il
                found.Add((token, next.RemainingBytes > 0 && next.ReadByte() == OpCodes.Ret.Value));
                continue;
            }
            switch (Operands.Value[code])
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.ReadByte(); break;
                case OperandType.InlineVar: il.ReadInt16(); break;
                case OperandType.InlineI8 or OperandType.InlineR: il.ReadInt64(); break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32(); // read before moving on: Offset += 4 * ReadInt32() would lose these 4 bytes
                    il.Offset += 4 * targets;
                    break;
                default: il.ReadInt32(); break;
            }
        }
        return found;
    }
}
