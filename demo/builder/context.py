"""What every part of the demo data set draws on: the topics, the seeded generator, the dates.

The same seed and ``until`` give the same rows, ids included: every random choice
comes from :attr:`Demo.rng` (ids too, through ``seeded_id``), and every date is
counted back from ``until``.
"""

import datetime
import math
import random

from americano.ops.bulk import seeded_id
from americano.testing import EMBEDDING_DIMENSIONS
from behavior.models import LearningArticle
from content.models import Concept, FirstAidSection

#: Every id of a demo row starts with this, so that demo rows can be found and removed.
DEMO_PREFIX = "cdemo"
#: Weeks of activity before ``until``.
STUDY_WEEKS = 6

#: Courses a student takes, and the topics of their lectures.
SUBJECTS: dict[str, list[str]] = {
    "Gross Anatomy": [
        "Brachial plexus",
        "Inguinal canal",
        "Coronary circulation",
        "Pelvic floor",
        "Cranial nerves",
    ],
    "Physiology": [
        "Cardiac cycle",
        "Renal tubular transport",
        "Acid-base balance",
        "Pulmonary mechanics",
        "Action potentials",
    ],
    "Biochemistry": [
        "Glycolysis",
        "Urea cycle",
        "Lysosomal storage diseases",
        "Fatty acid oxidation",
        "DNA repair",
    ],
    "Pharmacology": [
        "Beta blockers",
        "Antibiotic mechanisms",
        "Anticoagulants",
        "Pharmacokinetics",
        "Antiepileptic drugs",
    ],
    "Pathology": [
        "Acute inflammation",
        "Neoplasia",
        "Atherosclerosis",
        "Hemodynamic disorders",
        "Amyloidosis",
    ],
    "Microbiology": [
        "Gram-positive cocci",
        "Enteric bacteria",
        "HIV",
        "Fungal infections",
        "Vaccines",
    ],
    "Immunology": [
        "Complement system",
        "Hypersensitivity reactions",
        "Antigen presentation",
        "Immunodeficiencies",
        "Transplant rejection",
    ],
    "Neuroscience": [
        "Spinal cord tracts",
        "Basal ganglia",
        "Stroke syndromes",
        "Sleep physiology",
        "Neurotransmitters",
    ],
}
TOPICS = [topic for topics in SUBJECTS.values() for topic in topics]
SUBJECT_CODES = {subject: f"MED{101 + i}" for i, subject in enumerate(SUBJECTS)}

OBJECTIVE_VERBS = ["Describe", "Explain", "Compare", "Predict", "Apply", "Identify"]
OBJECTIVE_ASPECTS = [
    "the mechanism of",
    "the clinical presentation of",
    "the regulation of",
    "the key structures of",
    "drug effects on",
    "lab findings in",
]
SEARCHES = ["mechanism", "first line treatment", "mnemonic", "side effects", "diagram"]
#: Sentences of chunks and card backs; ``{t}`` is the topic.
SENTENCES = [
    "{t} is tested often: know the mechanism before the exceptions.",
    "Clinical vignettes on {t} hinge on the timing of symptoms.",
    "A common error on {t} is confusing the first-line and the backup choice.",
    "Draw the pathway of {t} from memory, then check each step.",
    "{t} links to the previous lecture through its regulation.",
    "Lab values in {t} questions point to the answer before the history does.",
]


class Demo:
    """The seeded generator, the weeks of activity, and the shared rows students refer to."""

    def __init__(self, seed: int, until: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.end = datetime.datetime.combine(until, datetime.time(23, 59), datetime.UTC)
        self.start = self.end - datetime.timedelta(weeks=STUDY_WEEKS)
        self.concepts: dict[str, Concept] = {}
        self.articles: list[LearningArticle] = []
        self.first_aid: dict[str, FirstAidSection] = {}

    def new_id(self) -> str:
        """A demo id: cuid-shaped, from the seeded generator."""
        return seeded_id(self.rng, DEMO_PREFIX)

    def moment(self, day: datetime.datetime, hour: float) -> datetime.datetime:
        """``day`` at ``hour`` o'clock (fractions are minutes), to the millisecond."""
        midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight + datetime.timedelta(milliseconds=round(hour * 3_600_000))

    def unit_vector(self) -> list[float]:
        values = [self.rng.gauss(0, 1) for _ in range(EMBEDDING_DIMENSIONS)]
        norm = math.sqrt(sum(v * v for v in values))
        return [round(v / norm, 5) for v in values]

    def sentences(self, topic: str, count: int) -> list[str]:
        """Plain sentences about ``topic``, varied enough to search."""
        return [self.rng.choice(SENTENCES).format(t=topic.lower()) for _ in range(count)]
