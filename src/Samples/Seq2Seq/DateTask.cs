using System.Globalization;

namespace Microsoft.ML.Recurrent.Samples.Seq2Seq;

/// <summary>
/// The task the sample generates: a date written in one of ten ways (in its written case, lower case or upper case)
/// to normalize into ISO <c>YYYY-MM-DD</c>, for dates from 1900 to 2099. Deterministic for a seed.
/// </summary>
internal static class DateTask
{
    private static readonly DateTime First = new(1900, 1, 1), Last = new(2099, 12, 31);

    private static readonly string[] Units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] OrdinalUnits = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
        "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"];

    /// <summary><paramref name="count"/> (source, target) pairs of random dates.</summary>
    public static IEnumerable<(string Source, string Target)> Pairs(int count, int seed)
    {
        var random = new Random(seed);
        int days = (Last - First).Days + 1;
        for (int i = 0; i < count; i++)
        {
            DateTime date = First.AddDays(random.Next(days));
            string written = Write(date, random.Next(10));
            string source = random.Next(3) switch { 0 => written, 1 => written.ToLowerInvariant(), _ => written.ToUpperInvariant() };
            yield return (source, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The date in format <paramref name="format"/> (0-9, in the order of the sample's description).</summary>
    public static string Write(DateTime date, int format)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string month = c.DateTimeFormat.GetMonthName(date.Month), shortMonth = month[..3];
        int d = date.Day, y = date.Year;
        return format switch
        {
            0 => $"{d} {month} {y}",
            1 => $"{d}{Suffix(d)} of {month} {y}",
            2 => $"{month} {d}, {y}",
            3 => $"{month} {d}{Suffix(d)}, {y}",
            4 => $"{shortMonth} {d} {y}",
            5 => $"{d} {shortMonth} {y}",
            6 => date.ToString("MM/dd/yyyy", c),
            7 => date.ToString("yyyy/MM/dd", c),
            8 => $"{c.DateTimeFormat.GetDayName(date.DayOfWeek)}, {month} {d}, {y}",
            _ => $"the {OrdinalWords(d)} of {month.ToLowerInvariant()}, {YearWords(y)}",
        };
    }

    private static string Suffix(int day) => day is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };

    private static string Words(int n) => n < 20 ? Units[n] : Tens[n / 10] + (n % 10 == 0 ? "" : "-" + Units[n % 10]);

    private static string OrdinalWords(int n) => n < 20 ? OrdinalUnits[n]
        : n % 10 == 0 ? Tens[n / 10][..^1] + "ieth" : Tens[n / 10] + "-" + OrdinalUnits[n % 10];

    /// <summary>Years as they are said: nineteen hundred, nineteen oh five, nineteen ninety-eight, two thousand, two thousand five, twenty ten.</summary>
    private static string YearWords(int year)
    {
        int high = year / 100, low = year % 100;
        if (year == 2000) return "two thousand";
        if (year < 2010 && year > 2000) return "two thousand " + Units[low];
        return Words(high) + " " + (low == 0 ? "hundred" : low < 10 ? "oh " + Units[low] : Words(low));
    }
}
