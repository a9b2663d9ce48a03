"""The counting rules of SPEC §6, each one pure function: who is present,
whether a meeting has quorum, whether a vote adopts a decision and whether a
consensus holds.

Every page, PDF, export and API calls these; nothing counts a quorum or a vote
its own way. They take plain numbers and strings (a ``TextChoices`` value is a
string), never models, and raise ``ValueError`` with a clear message on a count
that cannot be: a negative number, no member countries, more present or more
votes than member countries, an unknown rule, majority, status or vote.

"Members" is always the number of member countries of the Coalition on the
date of the meeting, present or not. Observers are not member countries and
are never counted.

Present (``count_present``)
    A member country is present when its attendance status is ``titular``
    (titular present), ``alternate`` (alternate present) or ``both`` (titular
    and alternate present: still one country). ``absent`` and ``excused`` are
    not present.

Quorum (``verify_quorum``, ``required_for_quorum``)
    Verified from the attendance register. The rule is configuration:

    - ``majority`` (the default): more than half of the member countries
      present, 2·present > members;
    - ``two_thirds``: at least two thirds present, 3·present ≥ 2·members;
    - ``all``: every member country present.

    Worked examples::

        members  rule        required  so
        9        majority    5         4 present: no quorum; 5: quorum
        8        majority    5         4 is exactly half, not more: no quorum
        7        two_thirds  5         4: no (3·4 = 12 < 14); 5: yes (15 ≥ 14)
        9        two_thirds  6         6: yes (18 ≥ 18)
        9        all         9         8: no quorum
        1        any rule    1         the single member must be there

Votes (``tally_votes``, ``tally_counts``)
    One vote per present member country (titular and alternate together cast
    one): ``yes``, ``no`` or ``abstain``. Abstentions are recorded and not
    counted: adding or removing one never changes the outcome. The majority
    is configured per decision:

    - ``simple``: more yes than no, yes > no. A tie is rejected.
    - ``two_thirds``: at least two thirds of the yes and no votes,
      3·yes ≥ 2·(yes + no), and at least one yes. When nobody votes yes or no
      (everyone abstains) the decision is NOT adopted: nobody voted for it.
    - ``absolute``: more than half of the member countries vote yes,
      2·yes > members, whatever the no votes. Absent and abstaining countries
      do not vote yes, so in effect they weigh against it.

    Worked examples::

        yes  no  abstain  members  majority    adopted  needed (required_yes)
        3    3   0        9        simple      no       4 (a tie is rejected)
        3    3   3        9        simple      no       4 (abstentions change nothing)
        4    3   0        9        simple      yes      4
        4    2   3        9        two_thirds  yes      4 (3·4 = 12 ≥ 2·6 = 12)
        3    2   0        9        two_thirds  no       4 (9 < 10)
        0    0   5        9        two_thirds  no       1 (nobody voted for it)
        4    0   5        9        absolute    no       5 (2·4 = 8 is not > 9)
        5    4   0        9        absolute    yes      5

    ``required_yes`` is the smallest number of yes votes that adopts, the no
    votes being what they are (for display: "needed N"). It may be more than
    the votes left, in which case the decision cannot pass.

Consensus (``consensus_adopted``)
    Adopted unless a member country objects: one objection blocks. A dissent
    is recorded beside the decision and does not block.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

TITULAR = "titular"
ALTERNATE = "alternate"
BOTH = "both"
ABSENT = "absent"
EXCUSED = "excused"
ATTENDANCE_STATUSES = frozenset({TITULAR, ALTERNATE, BOTH, ABSENT, EXCUSED})
PRESENT_STATUSES = frozenset({TITULAR, ALTERNATE, BOTH})

YES = "yes"
NO = "no"
ABSTAIN = "abstain"
VOTE_CHOICES = frozenset({YES, NO, ABSTAIN})


class QuorumRule(StrEnum):
    """How many member countries must be present for a meeting to have quorum."""

    MAJORITY = "majority"
    TWO_THIRDS = "two_thirds"
    ALL = "all"

    @property
    def label(self) -> str:
        return _QUORUM_RULE_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """For a model or form field: ``choices=QuorumRule.choices``."""
        return [(rule.value, rule.label) for rule in cls]


_QUORUM_RULE_LABELS = {
    QuorumRule.MAJORITY: _("More than half of the member countries present"),
    QuorumRule.TWO_THIRDS: _("At least two thirds of the member countries present"),
    QuorumRule.ALL: _("All member countries present"),
}


class Majority(StrEnum):
    """Which majority of the votes adopts a decision."""

    SIMPLE = "simple"
    TWO_THIRDS = "two_thirds"
    ABSOLUTE = "absolute"

    @property
    def label(self) -> str:
        return _MAJORITY_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """For a model or form field: ``choices=Majority.choices``."""
        return [(majority.value, majority.label) for majority in cls]


# The same texts as Decision.Majority in models.py: one translation serves both.
_MAJORITY_LABELS = {
    Majority.SIMPLE: _("Simple majority (yes > no)"),
    Majority.TWO_THIRDS: _("Two-thirds majority (3·yes ≥ 2·(yes + no))"),
    Majority.ABSOLUTE: _("Absolute majority (yes > half of the member countries)"),
}


# --- Validation ---------------------------------------------------------------


def _check_count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"The number of {name} must be an integer, not {value!r}.")
    if value < 0:
        raise ValueError(f"The number of {name} cannot be negative (got {value}).")
    return value


def _check_members(members: int) -> int:
    _check_count("member countries", members)
    if members == 0:
        raise ValueError("There must be at least one member country (got 0).")
    return members


def _check_quorum_rule(rule: str) -> QuorumRule:
    try:
        return QuorumRule(rule)
    except ValueError:
        expected = ", ".join(QuorumRule)
        raise ValueError(f"Unknown quorum rule {rule!r}; expected one of: {expected}.") from None


def _check_majority(majority: str) -> Majority:
    try:
        return Majority(majority)
    except ValueError:
        expected = ", ".join(Majority)
        raise ValueError(f"Unknown majority {majority!r}; expected one of: {expected}.") from None


# --- Presence and quorum --------------------------------------------------------


def count_present(statuses: Iterable[str]) -> int:
    """How many member countries are present, from their attendance statuses
    (one status per member country; leave observers out).

    ``titular``, ``alternate`` and ``both`` are present; ``absent`` and
    ``excused`` are not. ["titular", "both", "absent", "excused"] → 2.
    """
    present = 0
    for status in statuses:
        if status not in ATTENDANCE_STATUSES:
            expected = ", ".join(sorted(ATTENDANCE_STATUSES))
            raise ValueError(f"Unknown attendance status {status!r}; expected one of: {expected}.")
        if status in PRESENT_STATUSES:
            present += 1
    return present


@dataclass(frozen=True)
class QuorumVerdict:
    """The verification of quorum, with what a minute or a page shows:
    "5 of 9 member countries present; 5 required: quorum"."""

    present: int
    members: int
    required: int
    has_quorum: bool
    rule: str


def _meets_quorum(*, present: int, members: int, rule: QuorumRule) -> bool:
    """The rules as SPEC §6 states them, in whole numbers."""
    if rule is QuorumRule.MAJORITY:
        return 2 * present > members
    if rule is QuorumRule.TWO_THIRDS:
        return 3 * present >= 2 * members
    return present == members


def required_for_quorum(*, members: int, rule: str = QuorumRule.MAJORITY) -> int:
    """The smallest number of member countries present that makes quorum.

    majority: members // 2 + 1 (9 → 5, 8 → 5, 1 → 1);
    two_thirds: two thirds of the members, rounded up (7 → 5, 9 → 6, 1 → 1);
    all: members.
    """
    members = _check_members(members)
    rule = _check_quorum_rule(rule)
    if rule is QuorumRule.MAJORITY:
        return members // 2 + 1
    if rule is QuorumRule.TWO_THIRDS:
        return (2 * members + 2) // 3  # ⌈2·members / 3⌉ in whole numbers
    return members


def verify_quorum(*, present: int, members: int, rule: str = QuorumRule.MAJORITY) -> QuorumVerdict:
    """Whether `present` of `members` member countries make quorum under `rule`.

    9 members, majority: 4 present → no quorum, 5 → quorum. 8 members,
    majority: 4 → no quorum (half is not more than half), 5 → quorum.
    7 members, two_thirds: 4 → no, 5 → quorum.
    """
    present = _check_count("member countries present", present)
    members = _check_members(members)
    rule = _check_quorum_rule(rule)
    if present > members:
        raise ValueError(
            f"More member countries present ({present}) than member countries ({members})."
        )
    return QuorumVerdict(
        present=present,
        members=members,
        required=required_for_quorum(members=members, rule=rule),
        has_quorum=_meets_quorum(present=present, members=members, rule=rule),
        rule=rule,
    )


# --- Votes and consensus --------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """The count of a vote: yes, no and abstentions (recorded, not counted),
    the member countries on the date, the majority applied, the outcome and
    the yes votes needed given the no votes ("needed N")."""

    yes: int
    no: int
    abstain: int
    members: int
    majority: str
    adopted: bool
    required_yes: int


def _adopts(*, yes: int, no: int, members: int, majority: Majority) -> bool:
    """The majorities as SPEC §6 states them, in whole numbers."""
    if majority is Majority.SIMPLE:
        return yes > no
    if majority is Majority.TWO_THIRDS:
        # Nobody voting yes (all abstained, or all voted no) adopts nothing.
        return yes > 0 and 3 * yes >= 2 * (yes + no)
    return 2 * yes > members


def _required_yes(*, no: int, members: int, majority: Majority) -> int:
    if majority is Majority.SIMPLE:
        return no + 1
    if majority is Majority.TWO_THIRDS:
        # 3·yes ≥ 2·(yes + no) ⟺ yes ≥ 2·no; and at least one yes.
        return max(1, 2 * no)
    return members // 2 + 1


def tally_counts(
    *, yes: int, no: int, abstain: int, members: int, majority: str = Majority.SIMPLE
) -> Tally:
    """The outcome of a vote from its counts (e.g. a tally stored as numbers).

    3 yes, 3 no, simple → rejected (a tie). 4 yes, 2 no, 3 abstain,
    two_thirds → adopted (12 ≥ 12). 4 yes, 0 no, 9 members, absolute →
    rejected (5 yes needed).
    """
    yes = _check_count("yes votes", yes)
    no = _check_count("no votes", no)
    abstain = _check_count("abstentions", abstain)
    members = _check_members(members)
    majority = _check_majority(majority)
    votes = yes + no + abstain
    if votes > members:
        raise ValueError(
            f"More votes ({votes}) than member countries ({members}): "
            "each member country casts one vote."
        )
    return Tally(
        yes=yes,
        no=no,
        abstain=abstain,
        members=members,
        majority=majority,
        adopted=_adopts(yes=yes, no=no, members=members, majority=majority),
        required_yes=_required_yes(no=no, members=members, majority=majority),
    )


def tally_votes(*, choices: Iterable[str], members: int, majority: str = Majority.SIMPLE) -> Tally:
    """Count the votes of the present member countries, one choice each
    ("yes", "no" or "abstain"), and decide under `majority` (see the module
    docstring for the rules and worked examples)."""
    counts: Counter[str] = Counter()
    for choice in choices:
        if choice not in VOTE_CHOICES:
            raise ValueError(f"Unknown vote {choice!r}; expected one of: yes, no, abstain.")
        counts[choice] += 1
    return tally_counts(
        yes=counts[YES],
        no=counts[NO],
        abstain=counts[ABSTAIN],
        members=members,
        majority=majority,
    )


def consensus_adopted(*, objections: int) -> bool:
    """A decision by consensus is adopted unless a member country objects.

    Count only objections: a dissent is recorded and does not block.
    0 objections → adopted; 1 or more → not adopted.
    """
    return _check_count("objections", objections) == 0
