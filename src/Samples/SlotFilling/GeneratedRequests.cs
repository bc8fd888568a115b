namespace Microsoft.ML.Recurrent.Samples.SlotFilling;

/// <summary>The sample's own data when no files are given: chatbot requests with BIO slot tags (music, weather, alarms).</summary>
internal static class GeneratedRequests
{
    private static readonly string[][] Artists = [["miles", "davis"], ["adele"], ["the", "beatles"], ["nina", "simone"]];
    private static readonly string[][] Cities = [["paris"], ["new", "york"], ["lima"], ["san", "francisco"]];
    private static readonly string[][] Times = [["seven", "am"], ["noon"], ["six", "thirty"], ["tomorrow", "morning"]];

    public static List<TaggedSentence> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var requests = new List<TaggedSentence>(count);
        for (int i = 0; i < count; i++)
        {
            var tokens = new List<string>();
            var tags = new List<string>();
            void Words(string text) { foreach (string w in text.Split(' ')) { tokens.Add(w); tags.Add("O"); } }
            void Slot(string[] words, string slot) { for (int w = 0; w < words.Length; w++) { tokens.Add(words[w]); tags.Add((w == 0 ? "B-" : "I-") + slot); } }
            switch (random.Next(3))
            {
                case 0: Words(random.Next(2) == 0 ? "play some" : "put on"); Slot(Artists[random.Next(Artists.Length)], "artist"); break;
                case 1: Words("what is the weather in"); Slot(Cities[random.Next(Cities.Length)], "city"); if (random.Next(2) == 0) Slot(Times[random.Next(Times.Length)], "time"); break;
                default: Words("wake me up at"); Slot(Times[random.Next(Times.Length)], "time"); break;
            }
            requests.Add(new TaggedSentence { Tokens = [.. tokens], Tags = [.. tags] });
        }
        return requests;
    }
}
