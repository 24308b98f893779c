# bench row "python3 script": everyday Python (classes, dicts, comprehensions, str methods,
# json round trips, re, sorting) over generated records. Prints a checksum of the results.
import json, re

class Record:
    def __init__(self, i):
        self.id = i
        self.name = "user%d" % (i * 7919 % 1000)
        self.tags = ["t%d" % (i % k) for k in (3, 5, 7)]
        self.score = (i * 2654435761) % 1000 / 10

    def as_dict(self):
        return {"id": self.id, "name": self.name, "tags": self.tags, "score": self.score}

records = [Record(i) for i in range(3000)]
text = json.dumps([r.as_dict() for r in records])
back = json.loads(text)
by_tag = {}
for r in back:
    for t in r["tags"]:
        by_tag.setdefault(t, []).append(r["score"])
summary = sorted((t, len(v), round(sum(v), 1)) for t, v in by_tag.items())
names = re.findall(r'"name": "(user\d*7)"', text)
words = " ".join(r.name.upper() for r in records[:2000]).split()
print(len(text), summary[:3], len(names), sum(len(w) for w in words), sorted(set(names))[:3])
