using LeanMlirVerify.Training.Specs;

namespace LeanMlirVerify.Training.Bestiary.BeyondVision;

/// <summary>Whisper (Radford et al. 2022): encoder-decoder transformer over log-mel tokens.</summary>
public static class Whisper
{
    static readonly Family Family = new("Whisper", Domain.BeyondVision, "Radford et al. 2022",
        "Encoders only; the decoder (with the vocab embedding) is the separate whisperSmallDecoder spec.");

    public static readonly BestiaryEntry WhisperTiny = Family.Entry("whisperTiny", "Whisper tiny encoder", 1500, 1,
        Figure.Of("7M encoder; paper 39M total", book: "7M"),
        [Layer.TransformerEncoder(384, 6, 1536, 4)]);

    public static readonly BestiaryEntry WhisperBase = Family.Entry("whisperBase", "Whisper base encoder", 1500, 1,
        Figure.Of("19M encoder; paper 74M total", book: "19M"),
        [Layer.TransformerEncoder(512, 8, 2048, 6)]);

    public static readonly BestiaryEntry WhisperSmall = Family.Entry("whisperSmall", "Whisper small encoder", 1500, 1,
        Figure.Of("85M encoder (+153M decoder&embedding = 238M vs paper 244M)", book: "85M"),
        [Layer.TransformerEncoder(768, 12, 3072, 12)]);

    public static readonly BestiaryEntry WhisperMedium = Family.Entry("whisperMedium", "Whisper medium encoder", 1500, 1,
        Figure.Of("302M encoder; paper 769M total", book: "302M"),
        [Layer.TransformerEncoder(1024, 16, 4096, 24)]);

    public static readonly BestiaryEntry WhisperLarge = Family.Entry("whisperLarge", "Whisper large encoder (v1/v2/v3)", 1500, 1,
        Figure.Of("629M encoder; paper 1.55B total", book: "629M"),
        [Layer.TransformerEncoder(1280, 20, 5120, 32)]);

    public static readonly BestiaryEntry WhisperSmallDecoder = Family.Entry("whisperSmallDecoder", "Whisper small decoder (shared shape)", 448, 1,
        Figure.Of("153M (decoder + embedding)", book: "153M"),
        [Layer.Dense(51865, 768, Activation.Identity), Layer.TransformerDecoder(768, 12, 3072, 12, 0)],
        note: "transformerDecoder with nQueries = 0 (plain seq2seq decoder); dense vocab→dim stands in for the "
            + "token embedding tied to the LM head.");

    public static readonly BestiaryEntry TinyWhisper = Family.Entry("tinyWhisper", "tiny-Whisper encoder", 256, 1,
        Figure.NotQuoted(),
        [Layer.TransformerEncoder(128, 2, 512, 2)]);

    public static IReadOnlyList<BestiaryEntry> All { get; } = [
        WhisperTiny, WhisperBase, WhisperSmall, WhisperMedium, WhisperLarge, WhisperSmallDecoder, TinyWhisper];
}
