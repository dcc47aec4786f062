#!/usr/bin/env python3
"""Writes the sample datasets in this folder: corpus.txt, sentiment.csv, series.csv, tags.csv, spikes.csv.

Deterministic (fixed seeds) and original: every word comes from the lists below.
Run from anywhere:  python3 samples/generate.py
"""
import datetime
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# corpus.txt: the station registry of an imaginary lighthouse service, written in a made-up
# configuration language. Structure worth watching: braces nest and indentation follows depth,
# strings open and close (with 'single quotes' inside "double" ones), lists in [brackets],
# parenthesised conditions nest, comments start with #, and log entries hold quoted dialogue.
# ---------------------------------------------------------------------------------------------

PLACES = ["Harrow Reach", "Gull Point", "Saltmere", "Brannock Head", "Kestrel Isle", "Oldwick Sound",
          "Fennow Spit", "Cray Ledge", "Marrow Bay", "Tollan Rock", "Wending Shoal", "Ashby Light",
          "Corran Narrows", "Penhale Cove", "Skerry Nine", "Veldt Harbour", "Lowmoor Quay", "Idris Cape"]
FIRST = ["Ida", "Tomas", "Wren", "Orla", "Bram", "Nell", "Cass", "Jory", "Maren", "Edda", "Piet", "Sorrel",
         "Hal", "Tamsin", "Ansel", "Greer", "Lio", "Merrin"]
LAST = ["Venn", "Holloway", "Carrick", "Dunmore", "Pell", "Ashgrove", "Treloar", "Quill", "Marsh", "Fallow",
        "Rook", "Teague", "Penrose", "Hale"]
WEATHER = ["fog", "gale", "drizzle", "squall", "calm", "haze", "sleet", "swell"]
KEYS = ["wind", "tide", "fog", "swell", "visibility", "pressure"]
VERBS = ["saw", "heard", "counted", "lost sight of", "signalled", "waited for", "logged", "followed"]
THINGS = ["the ferry", "a trawler", "the mail boat", "two gulls", "a red flare", "the pilot launch",
          "a drifting buoy", "the supply barge", "a lantern on the cliff", "the northern light"]
TIMES = ["at noon", "before dawn", "after the bell", "near midnight", "at the turn of the tide",
         "while the lamp was lit", "just after supper", "in the grey hour"]
ENDINGS = ["but it never docked", "and then the fog came in", "though nobody believed me",
           "and it was gone by morning", "so I rang the bell twice", "and the radio stayed quiet",
           "which the log does not explain", "and I wrote it down at once"]
REPLIES = ["Write it down", "Are you certain", "That cannot be right", "Then check the lamp again",
           "I heard it too", "Say nothing to the inspector", "Keep the shutters closed",
           "We will know by the next tide"]
COMMENTS = ["the north lamp flickers when the wind turns", "do not trust the old chart here",
            "relief crew arrives on the first calm day", "bell rope replaced last spring",
            "fuel is counted in tins, not litres", "keep a spare wick in the lower cupboard",
            "the stairs have one hundred and twelve steps", "ask for the key at the harbour office"]


def name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def condition(rng, depth=0):
    """A parenthesised condition that nests up to three levels."""
    if depth >= 2 or rng.random() < 0.4:
        key = rng.choice(KEYS)
        operator = rng.choice(["<", ">", "<=", ">=", "=="])
        return f"{key} {operator} {rng.randint(0, 12)}"
    joiner = rng.choice(["and", "or"])
    left = condition(rng, depth + 1)
    right = condition(rng, depth + 1)
    text = f"({left}) {joiner} ({right})"
    return f"not ({text})" if rng.random() < 0.15 else text


def dialogue(rng):
    speaker = name(rng).split()[0]
    said = f"{rng.choice(['We', 'I', 'They', 'Nobody'])} {rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(TIMES)}"
    quoted = f"'{rng.choice(WEATHER)}'" if rng.random() < 0.3 else ""
    ending = rng.choice(ENDINGS)
    if quoted:
        ending = f"{ending}, and the chart said {quoted}"
    reply = rng.choice(REPLIES)
    mark = "?" if reply.startswith(("Are", "Did")) else "."
    return [f'said = "{said}," {speaker} wrote, "{ending}."',
            f'reply = "{reply}{mark}"']


def block(lines, depth, header, body):
    pad = "    " * depth
    lines.append(f"{pad}{header} {{")
    body(depth + 1)
    lines.append(f"{pad}}}")


def station(rng, lines, index):
    place = PLACES[index % len(PLACES)]
    if index >= len(PLACES):
        place = f"{place} {['North', 'South', 'East', 'West'][index // len(PLACES) % 4]}"

    def body(depth):
        pad = "    " * depth
        lines.append(f'{pad}keeper = "{name(rng)}"')
        lines.append(f"{pad}lamps = [{', '.join(str(rng.randint(1, 40)) for _ in range(rng.randint(1, 6)))}]")
        lines.append(f"{pad}height = {rng.randint(12, 70)}.{rng.randint(0, 9)}")
        if rng.random() < 0.6:
            lines.append(f"{pad}# {rng.choice(COMMENTS)}")

        def schedule(depth):
            pad = "    " * depth
            lines.append(f"{pad}dusk = {rng.randint(16, 21):02d}:{rng.randint(0, 59):02d}")
            lines.append(f"{pad}dawn = {rng.randint(4, 8):02d}:{rng.randint(0, 59):02d}")
            for _ in range(rng.randint(0, 2)):
                def rule(depth):
                    pad = "    " * depth
                    lines.append(f"{pad}when = {condition(rng)}")
                    lines.append(f'{pad}then = "{rng.choice(["ring the bell", "light the spare", "radio the harbour", "close the shutters"])}"')
                block(lines, depth, "rule", rule)
        block(lines, depth, "schedule", schedule)

        def log(depth):
            for entry in range(rng.randint(1, 4)):
                def entry_body(depth):
                    pad = "    " * depth
                    lines.append(f'{pad}day = {rng.randint(1, 28)}')
                    lines.append(f'{pad}weather = "{rng.choice(WEATHER)}"')
                    for line in dialogue(rng):
                        lines.append(pad + line)
                block(lines, depth, f"entry {entry + 1}", entry_body)
        block(lines, depth, "log", log)
    block(lines, 0, f'station "{place}"', body)
    lines.append("")


def write_corpus():
    rng = random.Random(7)
    lines = ["# registry of the coastal light service, volume three", ""]
    index = 0
    while sum(len(line) + 1 for line in lines) < 80_000:
        station(rng, lines, index)
        index += 1
    with open(os.path.join(HERE, "corpus.txt"), "w", encoding="utf-8", newline="\n") as file:
        file.write("\n".join(lines))


# ---------------------------------------------------------------------------------------------
# sentiment.csv: short opinions about everyday things, positive or negative. Negation ("not bad")
# and contrast ("..., but ...") make word order matter, so a bag of words is not quite enough.
# ---------------------------------------------------------------------------------------------

SUBJECTS = ["the film", "this phone", "the soup", "our hotel room", "the service", "the new album",
            "this book", "the ending", "the coffee", "the staff", "the app", "this jacket", "the concert",
            "the train ride", "the camera", "the pizza", "the museum", "the update", "this game",
            "the bakery", "the course", "the headphones", "the garden", "the sequel", "the bike"]
GOOD = ["great", "lovely", "wonderful", "excellent", "charming", "delightful", "superb", "fantastic",
        "solid", "brilliant", "pleasant", "impressive", "cosy", "fresh", "reliable", "fun"]
BAD = ["awful", "terrible", "boring", "dreadful", "disappointing", "clumsy", "bland", "broken",
       "noisy", "slow", "dull", "cheap", "stale", "annoying", "useless", "messy"]
AMPLIFIERS = ["", "", "really ", "truly ", "very ", "so ", "absolutely ", "quite "]
GOOD_TAILS = ["i would go again", "worth every penny", "highly recommended", "made my day",
              "i loved every minute", "we will be back", "exactly what i wanted", "a real treat"]
BAD_TAILS = ["never again", "a waste of money", "i want a refund", "avoid it", "i regret buying it",
             "what a letdown", "not worth the wait", "i gave up halfway"]
HANDWRITTEN_POSITIVE = [
    "the staff went out of their way to help us", "i laughed the whole way through",
    "better than i expected", "it just works, every single time", "the kids adored it",
    "cheap and surprisingly good", "the view from the room was stunning", "it feels built to last",
    "a small place with a big heart", "the battery lasts for days", "i keep coming back to it",
    "the second half is even better", "quiet, clean and friendly", "she sang like an angel",
    "the instructions were clear and short", "it arrived early and well packed",
    "nothing fancy, but it hits the spot", "the best bread in town", "i would buy it again tomorrow",
    "it was worth the long drive",
]
HANDWRITTEN_NEGATIVE = [
    "the room smelled of old smoke", "it broke after two days", "i fell asleep halfway through",
    "the waiter ignored us for an hour", "too loud to hear each other", "the screen cracked in my pocket",
    "the plot makes no sense", "it took forever to arrive", "the soup was cold and salty",
    "they charged us twice", "the app crashes when i open it", "the seats were sticky",
    "it looked nothing like the photos", "the sound keeps cutting out", "i could not find a single good thing",
    "the tour guide was rude", "the last chapter ruins it", "the zip stuck on day one",
    "nobody answered the phone", "it was a long, dull evening",
]


def sentiment_phrases(rng, positive):
    good, bad = (GOOD, BAD) if positive else (BAD, GOOD)
    tails = GOOD_TAILS if positive else BAD_TAILS
    subject = rng.choice(SUBJECTS)
    form = rng.randrange(6)
    if form == 0:
        return f"{subject} was {rng.choice(AMPLIFIERS)}{rng.choice(good)}"
    if form == 1:
        return f"{subject} was not {rng.choice(bad)} at all"
    if form == 2:
        return f"{subject} was {rng.choice(bad)} at first, but {rng.choice(['then', 'later', 'in the end'])} it was {rng.choice(good)}"
    if form == 3:
        return f"{rng.choice(AMPLIFIERS)}{rng.choice(good)} {subject.split()[-1]}, {rng.choice(tails)}"
    if form == 4:
        return f"i thought {subject} would be {rng.choice(bad)}, but it was {rng.choice(good)}"
    return f"{subject} is {rng.choice(good)} and {rng.choice(good)}"


def write_sentiment():
    rng = random.Random(11)
    rows = [(text, "positive") for text in HANDWRITTEN_POSITIVE] + [(text, "negative") for text in HANDWRITTEN_NEGATIVE]
    seen = {text for text, _ in rows}
    for positive, label in [(True, "positive"), (False, "negative")]:
        count = 0
        while count < 280:
            text = sentiment_phrases(rng, positive).replace("  ", " ").strip()
            if text not in seen:
                seen.add(text)
                rows.append((text, label))
                count += 1
    rng.shuffle(rows)
    with open(os.path.join(HERE, "sentiment.csv"), "w", encoding="utf-8", newline="\n") as file:
        file.write("text,label\n")
        for text, label in rows:
            quoted = f'"{text}"' if "," in text or '"' in text else text
            file.write(f"{quoted},{label}\n")


# ---------------------------------------------------------------------------------------------
# series.csv: hourly readings of an imaginary building: temperature, humidity and power load.
# Load follows the daily rhythm, the weekday and (with a lag) the temperature. Gaps: empty cells,
# NA, NaN and a few multi-hour sensor outages.
# ---------------------------------------------------------------------------------------------

def write_series():
    rng = random.Random(5)
    hours = 24 * 100
    rows = []
    temperature_trend = 12.0
    for hour in range(hours):
        day, clock = divmod(hour, 24)
        temperature_trend += rng.gauss(0, 0.15) - 0.01 * (temperature_trend - 12)
        temperature = temperature_trend + 5 * math.sin(2 * math.pi * (clock - 9) / 24) + rng.gauss(0, 0.4)
        humidity = 70 - 1.5 * (temperature - 12) + rng.gauss(0, 2.5)
        weekday = day % 7 < 5
        occupancy = (1.0 if weekday else 0.35) * max(0.0, math.sin(math.pi * (clock - 7) / 12)) if 7 <= clock <= 19 else 0.0
        lagged = rows[-3][1] if len(rows) >= 3 else temperature
        load = 40 + 55 * occupancy + 1.8 * abs(lagged - 18) + rng.gauss(0, 2)
        stamp = (datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M")
        rows.append([stamp, temperature, humidity, load])
    cells = [[row[0]] + [f"{value:.2f}" for value in row[1:]] for row in rows]
    for _ in range(40):  # single missing cells, written three ways
        row, column = rng.randrange(hours), rng.randrange(1, 4)
        cells[row][column] = rng.choice(["", "NA", "NaN"])
    for _ in range(4):  # sensor outages of several hours
        start, length, column = rng.randrange(hours - 10), rng.randint(3, 8), rng.randrange(1, 4)
        for row in range(start, start + length):
            cells[row][column] = ""
    with open(os.path.join(HERE, "series.csv"), "w", encoding="utf-8", newline="\n") as file:
        file.write("timestamp,temperature,humidity,load\n")
        for row in cells:
            file.write(",".join(row) + "\n")


# ---------------------------------------------------------------------------------------------
# tags.csv: keepers' log lines, each tagged with every topic it touches (multi-label): weather,
# vessel, equipment, crew. The label column holds the set separated by | ; the same sets are
# repeated as 0/1 columns for --label-columns. Every line touches at least one topic.
# ---------------------------------------------------------------------------------------------

TAG_PHRASES = {
    "weather": ["fog rolled in from the west", "a gale blew all night", "the squall passed by noon",
                "sleet on the gallery rail", "the swell rose after dark", "haze hid the far shore",
                "drizzle since the morning watch", "the barometer fell sharply"],
    "vessel": ["the ferry was late", "a trawler anchored off the point", "the mail boat came in",
              "the pilot launch went out twice", "a yacht asked for the channel", "the supply barge ran aground",
              "two fishing boats sheltered in the cove", "a tanker passed without signalling"],
    "equipment": ["the lamp motor stalled", "we replaced the wick", "the foghorn compressor failed",
                  "the radio lost power", "the lens needed cleaning", "the generator was serviced",
                  "the bell rope snapped", "a shutter hinge broke"],
    "crew": ["the relief keeper arrived", "Ida took the night watch", "Bram was sent ashore sick",
             "the inspector visited the station", "Wren signed the log", "the cook left for the mainland",
             "Tomas trained the new hand", "everyone ate together at six"],
}
NEUTRAL_PHRASES = ["nothing else to report", "the gulls were loud", "tea ran short", "the stairs were swept",
                   "a quiet day", "the log was copied out"]


def write_tags():
    rng = random.Random(21)
    topics = list(TAG_PHRASES)
    rows = []
    seen = set()
    while len(rows) < 900:
        chosen = [topic for topic in topics if rng.random() < 0.35] or [rng.choice(topics)]
        phrases = [rng.choice(TAG_PHRASES[topic]) for topic in chosen]
        if rng.random() < 0.4:
            phrases.append(rng.choice(NEUTRAL_PHRASES))
        rng.shuffle(phrases)
        text = ", ".join(phrases[:-1]) + (" and " if len(phrases) > 1 else "") + phrases[-1]
        if text in seen:
            continue
        seen.add(text)
        rows.append((text, chosen))
    with open(os.path.join(HERE, "tags.csv"), "w", encoding="utf-8", newline="\n") as file:
        file.write("text,label," + ",".join(topics) + "\n")
        for text, chosen in rows:
            quoted = f'"{text}"' if "," in text else text
            label = "|".join(topic for topic in topics if topic in chosen)
            flags = ",".join("1" if topic in chosen else "0" for topic in topics)
            file.write(f"{quoted},{label},{flags}\n")


# ---------------------------------------------------------------------------------------------
# spikes.csv: a reservoir's hourly inflow and water level, with sensor glitches: single readings
# far off (a stuck digit, a dropped decimal point, a negative pulse) that --outliers handles.
# ---------------------------------------------------------------------------------------------

def write_spikes():
    rng = random.Random(31)
    hours = 24 * 60
    rows = []
    level = 120.0
    for hour in range(hours):
        clock = hour % 24
        inflow = 30 + 12 * math.sin(2 * math.pi * (hour / 24 - 0.25) / 3) + 6 * math.sin(2 * math.pi * clock / 24) + rng.gauss(0, 1.5)
        level += 0.02 * (inflow - 30) - 0.01 * (level - 120) + rng.gauss(0, 0.05)
        stamp = (datetime.datetime(2024, 3, 1) + datetime.timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M")
        rows.append([stamp, inflow, level])
    for _ in range(24):  # glitches: x10, /10 or a negative pulse, one reading each
        row, column = rng.randrange(hours), rng.randrange(1, 3)
        kind = rng.randrange(3)
        rows[row][column] = rows[row][column] * 10 if kind == 0 else (rows[row][column] / 10 if kind == 1 else -rows[row][column])
    with open(os.path.join(HERE, "spikes.csv"), "w", encoding="utf-8", newline="\n") as file:
        file.write("timestamp,inflow,level\n")
        for row in rows:
            file.write(row[0] + "," + ",".join(f"{value:.2f}" for value in row[1:]) + "\n")


if __name__ == "__main__":
    write_corpus()
    write_sentiment()
    write_series()
    write_tags()
    write_spikes()
