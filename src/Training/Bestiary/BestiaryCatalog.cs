using LeanMlirVerify.Training.Bestiary.BeyondVision;
using LeanMlirVerify.Training.Bestiary.ImageGeneration;
using LeanMlirVerify.Training.Bestiary.ObjectDetection;
using LeanMlirVerify.Training.Bestiary.ReinforcementLearning;
using LeanMlirVerify.Training.Bestiary.SemanticSegmentation;
using LeanMlirVerify.Training.Bestiary.VisionClassifiers;

namespace LeanMlirVerify.Training.Bestiary;

/// <summary>
/// A figure the book quotes for several specs together (CLIP's image + text towers, Mask R-CNN's four parts,
/// Whisper small's encoder + decoder).
/// </summary>
public sealed record Composite(string Name, Figure Figure, IReadOnlyList<BestiaryEntry> Parts)
{
    public long Params => Parts.Sum(p => p.Params);
}

/// <summary>Every bestiary spec of the book's chapter 11 (167, tiny fixtures included), in the chapter's order.</summary>
public static class BestiaryCatalog
{
    public static IReadOnlyList<Family> Families => All.Select(e => e.Family).Distinct().ToList();

    public static IReadOnlyList<BestiaryEntry> All { get; } =
    [
        // 11.2.1 Vision classifiers
        .. LeNet.All, .. AlexNet.All, .. SqueezeNet.All, .. Inception.All, .. Xception.All, .. ShuffleNet.All,
        .. ShuffleNetV2.All, .. MobileViT.All, .. ConvNeXt.All, .. Swin.All,
        // 11.2.2 Object detection
        .. Yolo.All, .. MaskRCnn.All, .. Detr.All,
        // 11.2.3 Semantic segmentation
        .. UNet.All, .. DeepLabV3Plus.All, .. SegFormer.All, .. Sam.All,
        // 11.2.4 Image generation
        .. Vae.All, .. DcGan.All, .. Pix2Pix.All, .. CycleGan.All, .. Diffusion.All, .. StableDiffusion.All,
        // 11.2.5 Reinforcement learning
        .. AlphaGo.All, .. AlphaZero.All, .. MuZero.All,
        // 11.2.6 Beyond vision
        .. Mamba.All, .. Bert.All, .. Gpt.All, .. QaNet.All, .. Nystromformer.All, .. WaveNet.All, .. Whisper.All,
        .. Nerf.All, .. Clip.All, .. Llava.All, .. Evoformer.All,
    ];

    public static IReadOnlyList<Composite> Composites { get; } =
    [
        new("CLIP ViT-B/32 (image + text)", Figure.Of("151M, equal to paper", book: "151M", paper: "151M"),
            [Clip.ClipViTB32ImageEncoder, Clip.ClipTextEncoder]),
        new("CLIP ViT-L/14 (image + text)", Figure.Of("427M, equal to paper", book: "427M", paper: "427M"),
            [Clip.ClipViTL14ImageEncoder, Clip.ClipViTL14TextEncoder]),
        new("Mask R-CNN (all four parts)", Figure.Of("≈63M, matching paper", book: "≈63M", paper: "≈63M"),
            [MaskRCnn.MaskRCNNBackboneR101, MaskRCnn.MaskRCNNRPN, MaskRCnn.MaskRCNNBoxHead, MaskRCnn.MaskRCNNMaskHead]),
        new("Whisper small (encoder + decoder)", Figure.Of("238M vs paper 244M", book: "238M", paper: "244M"),
            [Whisper.WhisperSmall, Whisper.WhisperSmallDecoder]),
    ];

    public static IEnumerable<BestiaryEntry> In(Domain domain) => All.Where(e => e.Domain == domain);

    /// <summary>The spec with this identifier (e.g. "leNet5") or display name (e.g. "LeNet-5"), ignoring case.</summary>
    public static BestiaryEntry? Find(string name) => All.FirstOrDefault(e =>
        string.Equals(e.Id, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
