"""A generated site: `n` posts in our front-matter format, each with `related:`, for tests
that count work per post (and for timing by hand, `python tests/generated.py FOLDER N`).

Posts are dated one day apart backwards from 2026-11-01 09:00 (Europe/London), so every one
is published at the tests' `TEST_NOW`; tags (one to three of 40 words) and each post's
`related:` (two slugs of other generated posts) come from a seeded generator, so every run
writes the same bytes (a slug may name the post itself or repeat: the rule leaves those
out). Pages and images are the sample site's. Nothing here imports newsroom/.
"""

from __future__ import annotations

import datetime
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("officer federation branch pay award welfare support investigation report video "
         "camera evidence training course conference members survey workload overtime pension "
         "health wellbeing fund helpline family assault campaign custody patrol sergeant "
         "inspector constable chair committee meeting government review inflation morale "
         "recruitment retention community safety standards conduct recognition bravery").split()
START = datetime.datetime(2026, 11, 1, 9, 0)


def slug_of(n: int) -> str:
    """The slug of generated post number `n` (0 is the newest)."""
    return f"post-{n}"


def write_site(folder: Path, n: int, seed: int = 2025) -> Path:
    """Write `folder`/content with `n` posts (see the module docstring); return it."""
    rng = random.Random(seed)
    content = Path(folder) / "content"
    for sub in ("pages", "images", "extra"):
        shutil.copytree(ROOT / "content" / sub, content / sub)
    news = content / "news"
    news.mkdir(parents=True)
    for i in range(n):
        when = START - datetime.timedelta(days=i)
        tags = sorted({rng.choice(WORDS) for _ in range(3)})
        related = [slug_of(rng.randrange(n)) for _ in range(2)]
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "."
                           for _ in range(3))
        (news / f"{when:%Y-%m-%d}-{slug_of(i)}.md").write_text(
            "---\n"
            f'title: "{rng.choice(WORDS).capitalize()} {" ".join(rng.sample(WORDS, 5))} {i}"\n'
            f"date: {when:%Y-%m-%d %H:%M}\n"
            f"tags: [{', '.join(tags)}]\n"
            f"related: [{', '.join(related)}]\n"
            f'summary: "Standfirst of post {i}."\n'
            "---\n\n" + body + "\n", encoding="utf-8")
    return content


if __name__ == "__main__":
    print(write_site(Path(sys.argv[1]), int(sys.argv[2])))
