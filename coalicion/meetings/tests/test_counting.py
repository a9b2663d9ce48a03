"""The counting rules of SPEC §6 (coalicion/meetings/counting.py): worked
examples computed by hand, then properties checked with hypothesis against the
rules restated as fractions."""

from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coalicion.meetings.counting import (
    ATTENDANCE_STATUSES,
    PRESENT_STATUSES,
    VOTE_CHOICES,
    Majority,
    QuorumRule,
    QuorumVerdict,
    Tally,
    consensus_adopted,
    count_present,
    required_for_quorum,
    tally_counts,
    tally_votes,
    verify_quorum,
)

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)


def ballots(yes: int = 0, no: int = 0, abstain: int = 0) -> list[str]:
    return ["yes"] * yes + ["no"] * no + ["abstain"] * abstain


# --- Presence -------------------------------------------------------------------


class TestCountPresent:
    @pytest.mark.parametrize(
        ("statuses", "present"),
        [
            ([], 0),
            (["titular"], 1),
            (["alternate"], 1),
            (["both"], 1),  # titular and alternate together: one country
            (["absent"], 0),
            (["excused"], 0),
            (["titular", "alternate", "both", "absent", "excused"], 3),
            (["titular"] * 5 + ["absent"] * 4, 5),
            (["excused"] * 9, 0),
        ],
    )
    def test_titular_alternate_or_both_are_present(self, statuses, present):
        assert count_present(statuses) == present

    def test_the_statuses_are_the_five_of_the_register(self):
        assert {"titular", "alternate", "both"} == PRESENT_STATUSES
        assert PRESENT_STATUSES | {"absent", "excused"} == ATTENDANCE_STATUSES

    def test_it_accepts_any_iterable_once(self):
        assert count_present(s for s in ["both", "absent", "titular"]) == 2

    @pytest.mark.parametrize("status", ["observer", "present", "", "TITULAR", None])
    def test_an_unknown_status_is_refused(self, status):
        with pytest.raises(ValueError, match="Unknown attendance status"):
            count_present(["titular", status])


# --- Quorum: worked examples ----------------------------------------------------


class TestQuorum:
    @pytest.mark.parametrize(
        ("members", "rule", "present", "has_quorum"),
        [
            # More than half (the default rule).
            (9, "majority", 4, False),
            (9, "majority", 5, True),
            (9, "majority", 9, True),
            (8, "majority", 4, False),  # exactly half is not more than half
            (8, "majority", 5, True),
            (2, "majority", 1, False),
            (2, "majority", 2, True),
            (1, "majority", 0, False),
            (1, "majority", 1, True),
            # At least two thirds.
            (7, "two_thirds", 4, False),  # 12 < 14
            (7, "two_thirds", 5, True),  # 15 ≥ 14
            (9, "two_thirds", 5, False),  # 15 < 18
            (9, "two_thirds", 6, True),  # 18 ≥ 18
            (3, "two_thirds", 2, True),
            (1, "two_thirds", 0, False),
            (1, "two_thirds", 1, True),
            # Everyone.
            (9, "all", 8, False),
            (9, "all", 9, True),
            (1, "all", 0, False),
            (1, "all", 1, True),
        ],
    )
    def test_worked_examples(self, members, rule, present, has_quorum):
        verdict = verify_quorum(present=present, members=members, rule=rule)
        assert verdict.has_quorum is has_quorum
        assert verdict.present == present
        assert verdict.members == members
        assert verdict.rule == rule

    @pytest.mark.parametrize(
        ("members", "rule", "required"),
        [
            (9, "majority", 5),
            (8, "majority", 5),
            (7, "majority", 4),
            (2, "majority", 2),
            (1, "majority", 1),
            (9, "two_thirds", 6),
            (8, "two_thirds", 6),  # 16/3 = 5.33… rounded up
            (7, "two_thirds", 5),
            (6, "two_thirds", 4),
            (3, "two_thirds", 2),
            (2, "two_thirds", 2),
            (1, "two_thirds", 1),
            (9, "all", 9),
            (1, "all", 1),
        ],
    )
    def test_required_for_quorum(self, members, rule, required):
        assert required_for_quorum(members=members, rule=rule) == required
        verdict = verify_quorum(present=0, members=members, rule=rule)
        assert verdict.required == required

    def test_the_default_rule_is_more_than_half(self):
        assert verify_quorum(present=5, members=9) == QuorumVerdict(
            present=5, members=9, required=5, has_quorum=True, rule="majority"
        )
        assert verify_quorum(present=4, members=9).has_quorum is False
        assert required_for_quorum(members=9) == 5

    def test_the_verdict_carries_the_rule_as_a_quorum_rule(self):
        verdict = verify_quorum(present=5, members=7, rule="two_thirds")
        assert verdict.rule is QuorumRule.TWO_THIRDS
        assert verdict.rule == "two_thirds"

    def test_the_verdict_is_frozen(self):
        verdict = verify_quorum(present=5, members=9)
        with pytest.raises(AttributeError):
            verdict.has_quorum = False

    def test_it_counts_quorum_from_the_attendance_register(self):
        register = ["titular", "alternate", "both", "titular", "absent"] + ["excused"] * 4
        verdict = verify_quorum(present=count_present(register), members=len(register))
        assert (verdict.present, verdict.required, verdict.has_quorum) == (4, 5, False)


class TestQuorumValidation:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"present": -1, "members": 9}, "cannot be negative"),
            ({"present": 0, "members": -9}, "cannot be negative"),
            ({"present": 0, "members": 0}, "at least one member country"),
            ({"present": 10, "members": 9}, r"More member countries present \(10\)"),
            ({"present": 5, "members": 9, "rule": "unanimity"}, "Unknown quorum rule"),
            ({"present": 5, "members": 9, "rule": ""}, "Unknown quorum rule"),
            ({"present": 5, "members": 9, "rule": "simple"}, "Unknown quorum rule"),
        ],
    )
    def test_verify_quorum_refuses_impossible_counts(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            verify_quorum(**kwargs)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"members": 0}, "at least one member country"),
            ({"members": -1}, "cannot be negative"),
            ({"members": 9, "rule": "absolute"}, "Unknown quorum rule"),
        ],
    )
    def test_required_for_quorum_refuses_impossible_counts(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            required_for_quorum(**kwargs)

    @pytest.mark.parametrize("present", [4.0, "5", None, True])
    def test_a_count_must_be_an_integer(self, present):
        with pytest.raises(TypeError, match="must be an integer"):
            verify_quorum(present=present, members=9)


# --- Votes: worked examples -----------------------------------------------------


class TestTallyVotes:
    @pytest.mark.parametrize(
        ("yes", "no", "abstain", "members", "majority", "adopted", "required_yes"),
        [
            # Simple: yes > no; a tie is rejected.
            (3, 3, 0, 9, "simple", False, 4),
            (3, 3, 3, 9, "simple", False, 4),
            (4, 3, 0, 9, "simple", True, 4),
            (4, 3, 2, 9, "simple", True, 4),
            (1, 0, 8, 9, "simple", True, 1),  # one yes against eight abstentions
            (0, 0, 9, 9, "simple", False, 1),
            (0, 0, 0, 9, "simple", False, 1),
            (0, 1, 0, 1, "simple", False, 2),
            (1, 0, 0, 1, "simple", True, 1),
            # Two thirds of the yes and no votes: 3·yes ≥ 2·(yes + no), yes > 0.
            (4, 2, 3, 9, "two_thirds", True, 4),  # 12 ≥ 12
            (4, 2, 0, 9, "two_thirds", True, 4),
            (3, 2, 0, 9, "two_thirds", False, 4),  # 9 < 10
            (3, 2, 4, 9, "two_thirds", False, 4),
            (6, 3, 0, 9, "two_thirds", True, 6),  # 18 ≥ 18
            (5, 3, 0, 9, "two_thirds", False, 6),
            (1, 0, 8, 9, "two_thirds", True, 1),
            (0, 0, 9, 9, "two_thirds", False, 1),  # nobody voted for it
            (0, 0, 0, 9, "two_thirds", False, 1),
            (0, 1, 0, 9, "two_thirds", False, 2),
            # Absolute: yes > half of the member countries, whatever the no votes.
            (4, 0, 0, 9, "absolute", False, 5),
            (4, 0, 5, 9, "absolute", False, 5),
            (5, 0, 0, 9, "absolute", True, 5),
            (5, 4, 0, 9, "absolute", True, 5),
            (4, 4, 0, 8, "absolute", False, 5),
            (5, 3, 0, 8, "absolute", True, 5),
            (1, 0, 0, 1, "absolute", True, 1),
            (0, 0, 1, 1, "absolute", False, 1),
        ],
    )
    def test_worked_examples(self, yes, no, abstain, members, majority, adopted, required_yes):
        tally = tally_votes(choices=ballots(yes, no, abstain), members=members, majority=majority)
        assert tally == Tally(
            yes=yes,
            no=no,
            abstain=abstain,
            members=members,
            majority=majority,
            adopted=adopted,
            required_yes=required_yes,
        )

    @pytest.mark.parametrize("majority", ["simple", "two_thirds"])
    @pytest.mark.parametrize(("yes", "no"), [(3, 3), (4, 3), (4, 2), (3, 2), (1, 0), (0, 0)])
    def test_abstentions_never_change_the_outcome(self, majority, yes, no):
        outcomes = {
            tally_votes(choices=ballots(yes, no, abstain), members=20, majority=majority).adopted
            for abstain in range(20 - yes - no + 1)
        }
        assert len(outcomes) == 1

    def test_the_default_majority_is_simple(self):
        tally = tally_votes(choices=ballots(3, 3), members=9)
        assert tally.majority is Majority.SIMPLE
        assert tally.adopted is False

    def test_the_order_of_the_votes_does_not_matter(self):
        choices = ["no", "yes", "abstain", "yes", "no", "yes"]
        assert tally_votes(choices=choices, members=9) == tally_votes(
            choices=sorted(choices), members=9
        )

    def test_it_accepts_any_iterable_and_enum_values(self):
        tally = tally_votes(
            choices=(c for c in ["yes", "yes", "no"]), members=3, majority=Majority.TWO_THIRDS
        )
        assert (tally.yes, tally.no, tally.adopted) == (2, 1, True)

    def test_tally_counts_decides_like_tally_votes(self):
        assert tally_counts(yes=4, no=2, abstain=3, members=9, majority="two_thirds") == (
            tally_votes(choices=ballots(4, 2, 3), members=9, majority="two_thirds")
        )

    def test_the_tally_is_frozen(self):
        tally = tally_votes(choices=ballots(1), members=1)
        with pytest.raises(AttributeError):
            tally.adopted = False


class TestTallyValidation:
    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"choices": ballots(5, 5), "members": 9}, r"More votes \(10\) than member"),
            ({"choices": ballots(1), "members": 0}, "at least one member country"),
            ({"choices": [], "members": -3}, "cannot be negative"),
            ({"choices": ["yes", "maybe"], "members": 9}, "Unknown vote 'maybe'"),
            ({"choices": ["yes", "absent"], "members": 9}, "Unknown vote"),
            ({"choices": ["YES"], "members": 9}, "Unknown vote"),
            ({"choices": [None], "members": 9}, "Unknown vote"),
            ({"choices": [], "members": 9, "majority": "qualified"}, "Unknown majority"),
            ({"choices": [], "members": 9, "majority": "all"}, "Unknown majority"),
        ],
    )
    def test_tally_votes_refuses_impossible_votes(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            tally_votes(**kwargs)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"yes": -1, "no": 0, "abstain": 0, "members": 9}, "yes votes cannot be negative"),
            ({"yes": 0, "no": -1, "abstain": 0, "members": 9}, "no votes cannot be negative"),
            ({"yes": 0, "no": 0, "abstain": -1, "members": 9}, "abstentions cannot be"),
            ({"yes": 3, "no": 3, "abstain": 4, "members": 9}, "More votes"),
            ({"yes": 0, "no": 0, "abstain": 0, "members": 0}, "at least one member"),
        ],
    )
    def test_tally_counts_refuses_impossible_counts(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            tally_counts(**kwargs)


# --- Consensus ------------------------------------------------------------------


class TestConsensus:
    @pytest.mark.parametrize(("objections", "adopted"), [(0, True), (1, False), (9, False)])
    def test_one_objection_blocks(self, objections, adopted):
        assert consensus_adopted(objections=objections) is adopted

    def test_objections_cannot_be_negative(self):
        with pytest.raises(ValueError, match="objections cannot be negative"):
            consensus_adopted(objections=-1)


# --- The choices ----------------------------------------------------------------


class TestChoices:
    def test_the_values_are_the_stored_strings(self):
        assert list(QuorumRule) == ["majority", "two_thirds", "all"]
        assert list(Majority) == ["simple", "two_thirds", "absolute"]
        assert {"yes", "no", "abstain"} == VOTE_CHOICES

    @pytest.mark.parametrize("enum", [QuorumRule, Majority])
    def test_every_value_has_a_label_for_a_field(self, enum):
        choices = enum.choices()
        assert [value for value, _label in choices] == [member.value for member in enum]
        assert all(str(label) for _value, label in choices)


# --- Properties -----------------------------------------------------------------

members_counts = st.integers(min_value=1, max_value=40)
rules = st.sampled_from(list(QuorumRule))
majorities = st.sampled_from(list(Majority))


@st.composite
def attendance(draw):
    """(members, present) with 0 ≤ present ≤ members."""
    members = draw(members_counts)
    return members, draw(st.integers(min_value=0, max_value=members))


@st.composite
def votes(draw):
    """(members, yes, no, abstain) with at most one vote per member country."""
    members = draw(members_counts)
    yes = draw(st.integers(min_value=0, max_value=members))
    no = draw(st.integers(min_value=0, max_value=members - yes))
    abstain = draw(st.integers(min_value=0, max_value=members - yes - no))
    return members, yes, no, abstain


@given(attendance(), rules)
def test_quorum_matches_the_rule_stated_as_a_fraction(counts, rule):
    members, present = counts
    share = Fraction(present, members)
    expected = {
        QuorumRule.MAJORITY: share > HALF,
        QuorumRule.TWO_THIRDS: share >= TWO_THIRDS,
        QuorumRule.ALL: share == 1,
    }[rule]
    assert verify_quorum(present=present, members=members, rule=rule).has_quorum is expected


@given(attendance(), rules)
def test_quorum_is_monotone_in_the_countries_present(counts, rule):
    members, present = counts
    if verify_quorum(present=present, members=members, rule=rule).has_quorum:
        for more in range(present, members + 1):
            assert verify_quorum(present=more, members=members, rule=rule).has_quorum


@given(members_counts, rules)
def test_required_for_quorum_is_the_threshold_of_verify_quorum(members, rule):
    required = required_for_quorum(members=members, rule=rule)
    assert 1 <= required <= members
    assert verify_quorum(present=required, members=members, rule=rule).has_quorum
    assert not verify_quorum(present=required - 1, members=members, rule=rule).has_quorum


@given(attendance(), rules)
def test_quorum_holds_exactly_from_the_required_count(counts, rule):
    members, present = counts
    verdict = verify_quorum(present=present, members=members, rule=rule)
    assert verdict.has_quorum is (present >= verdict.required)


@given(st.lists(st.sampled_from(sorted(ATTENDANCE_STATUSES)), max_size=40))
def test_present_is_the_count_of_present_statuses(statuses):
    present = count_present(statuses)
    assert present == sum(1 for s in statuses if s in {"titular", "alternate", "both"})
    assert 0 <= present <= len(statuses)


@given(votes(), majorities)
def test_the_counts_of_the_tally_sum_to_the_number_of_votes(counts, majority):
    members, yes, no, abstain = counts
    choices = ballots(yes, no, abstain)
    tally = tally_votes(choices=choices, members=members, majority=majority)
    assert (tally.yes, tally.no, tally.abstain) == (yes, no, abstain)
    assert tally.yes + tally.no + tally.abstain == len(choices)


@given(votes(), majorities)
def test_adding_an_abstention_never_changes_adoption(counts, majority):
    members, yes, no, abstain = counts
    before = tally_counts(yes=yes, no=no, abstain=abstain, members=members + 1, majority=majority)
    after = tally_counts(
        yes=yes, no=no, abstain=abstain + 1, members=members + 1, majority=majority
    )
    assert after.adopted is before.adopted
    assert after.required_yes == before.required_yes


@given(votes())
def test_swapping_yes_and_no_never_adopts_both_ways_by_simple_majority(counts):
    members, yes, no, abstain = counts
    one_way = tally_counts(yes=yes, no=no, abstain=abstain, members=members)
    other_way = tally_counts(yes=no, no=yes, abstain=abstain, members=members)
    assert not (one_way.adopted and other_way.adopted)


@given(votes())
def test_two_thirds_adopted_implies_simple_adopted(counts):
    members, yes, no, abstain = counts
    kwargs = {"yes": yes, "no": no, "abstain": abstain, "members": members}
    if tally_counts(**kwargs, majority=Majority.TWO_THIRDS).adopted:
        assert tally_counts(**kwargs, majority=Majority.SIMPLE).adopted


@given(votes())
def test_absolute_adopted_implies_more_than_half_of_the_members_voted_yes(counts):
    members, yes, no, abstain = counts
    tally = tally_counts(
        yes=yes, no=no, abstain=abstain, members=members, majority=Majority.ABSOLUTE
    )
    assert tally.adopted is (Fraction(yes, members) > HALF)
    if tally.adopted:
        assert 2 * yes > members


@given(votes(), majorities)
def test_adoption_matches_the_majority_stated_as_a_fraction(counts, majority):
    members, yes, no, abstain = counts
    counted = yes + no
    expected = {
        Majority.SIMPLE: yes > no,
        Majority.TWO_THIRDS: counted > 0 and yes > 0 and Fraction(yes, counted) >= TWO_THIRDS,
        Majority.ABSOLUTE: Fraction(yes, members) > HALF,
    }[majority]
    tally = tally_counts(yes=yes, no=no, abstain=abstain, members=members, majority=majority)
    assert tally.adopted is expected


@given(votes(), majorities)
def test_required_yes_is_the_smallest_yes_count_that_adopts(counts, majority):
    members, _yes, no, abstain = counts
    required = tally_counts(
        yes=0, no=no, abstain=abstain, members=members, majority=majority
    ).required_yes
    assert required >= 1
    if majority is Majority.ABSOLUTE:
        # The threshold depends on the member countries only, never on the no votes.
        assert required <= members
        no, room = 0, members
    else:
        # The threshold depends on the no votes only: leave room for every vote.
        room = required + no
    at = tally_counts(yes=required, no=no, abstain=0, members=room, majority=majority)
    below = tally_counts(yes=required - 1, no=no, abstain=0, members=room, majority=majority)
    assert at.adopted
    assert not below.adopted
    assert at.required_yes == below.required_yes == required


@given(votes(), majorities)
def test_more_yes_votes_never_undo_adoption(counts, majority):
    members, yes, no, abstain = counts
    assume(abstain > 0)
    before = tally_counts(yes=yes, no=no, abstain=abstain, members=members, majority=majority)
    # One abstaining country changes its vote to yes.
    after = tally_counts(
        yes=yes + 1, no=no, abstain=abstain - 1, members=members, majority=majority
    )
    assert after.adopted >= before.adopted
