"""Tests of sim/partners.py: parameters declared once, derived from attachment scores, validated."""

import math

import pytest

import sim
from sim.partners import COUPLE_PARAMS, PARTNER_PARAMS, PARTNER_SCORES, param_spec


def test_partner_is_frozen_and_keyword_only():
    p = sim.Partner()
    with pytest.raises(AttributeError):
        p.anxiety = 0.9  # type: ignore[misc]
    with pytest.raises(TypeError):
        sim.Partner("A", 0.5, 0.5)  # type: ignore[misc]


def test_every_parameter_has_range_unit_and_labels_in_both_languages():
    for name, spec in {**PARTNER_SCORES, **PARTNER_PARAMS, **COUPLE_PARAMS}.items():
        assert spec.low < spec.high, name
        assert spec.unit, name
        assert spec.label["en"] and spec.label["nl"], name
        assert spec.help["en"] and spec.help["nl"], name
        assert spec.label["en"] != spec.label["nl"] or name in ("fading",), name


def test_derived_parameters_follow_the_rule_on_their_field():
    p = sim.Partner(anxiety=0.6, avoidance=0.3)
    params = p.params()
    for name, spec in PARTNER_PARAMS.items():
        score = {"anxiety": 0.6, "avoidance": 0.3, None: 0.0}[spec.driver]
        assert params[name] == pytest.approx(spec.base + spec.slope * score), name


def test_avoidance_lowers_the_comfort_ceiling_and_anxiety_raises_the_security_floor():
    calm, avoidant, anxious = sim.Partner(), sim.Partner(avoidance=0.9), sim.Partner(anxiety=0.9)
    assert avoidant.params()["comfort_ceiling"] < calm.params()["comfort_ceiling"]
    assert avoidant.params()["closeness_alarm"] > calm.params()["closeness_alarm"]
    assert anxious.params()["security_floor"] > calm.params()["security_floor"]
    assert anxious.params()["withdrawal_fear"] > calm.params()["withdrawal_fear"]


def test_an_override_replaces_only_its_parameter():
    base = sim.Partner(avoidance=0.8)
    expert = sim.Partner(avoidance=0.8, alarm_lag=1.25)
    assert expert.params()["alarm_lag"] == 1.25
    assert expert.overrides() == {"alarm_lag": 1.25}
    rest = {k: v for k, v in expert.params().items() if k != "alarm_lag"}
    assert rest == {k: v for k, v in base.params().items() if k != "alarm_lag"}


@pytest.mark.parametrize("values", [{"anxiety": 0.3, "avoidance": 0.9, "name": "Sam"},
                                    {"anxiety": 0.7, "alarm_lag": 1.25}, {}])
def test_a_partner_from_checked_values_equals_one_built_and_checked(values):
    built = sim.Partner(**values)
    fields = {name: getattr(built, name) for name in ("name", *PARTNER_SCORES, *PARTNER_PARAMS)}
    assembled = sim.Partner.from_checked(fields)
    assert assembled == built and hash(assembled) == hash(built)
    assert assembled.overrides() == built.overrides()
    assert (sim.partners.param_matrix([assembled]) == sim.partners.param_matrix([built])).all()


@pytest.mark.parametrize("name", [*PARTNER_SCORES, *PARTNER_PARAMS])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "x", True])
def test_bad_partner_values_name_the_parameter_value_and_range(name, bad):
    spec = param_spec(name)
    with pytest.raises(ValueError) as err:
        sim.Partner(**{name: bad})
    message = str(err.value)
    assert name in message and repr(bad) in message and str(spec.low) in message and str(spec.high) in message


@pytest.mark.parametrize("name", [*PARTNER_SCORES, *PARTNER_PARAMS])
def test_out_of_range_partner_values_are_refused(name):
    spec = param_spec(name)
    for value in (spec.low - 0.01, spec.high + 0.01):
        with pytest.raises(ValueError, match=name):
            sim.Partner(**{name: value})
    assert sim.Partner(**{name: spec.high}).params().get(name, spec.high) == spec.high


@pytest.mark.parametrize("name", list(COUPLE_PARAMS))
def test_out_of_range_couple_values_are_refused(name):
    spec = COUPLE_PARAMS[name]
    with pytest.raises(ValueError, match=name):
        sim.Couple(**{name: spec.high * 2 + 1})
    with pytest.raises(ValueError, match=name):
        sim.Couple(**{name: math.nan})


def test_a_couple_holds_partners_only():
    with pytest.raises(ValueError, match="a must be a Partner"):
        sim.Couple(a="Anna")  # type: ignore[arg-type]


def test_unknown_parameter_lists_the_valid_ones():
    with pytest.raises(ValueError, match="anxiety"):
        param_spec("courage")


@pytest.mark.parametrize(("anxiety", "avoidance", "style"), [
    (0.1, 0.1, "secure"), (0.9, 0.1, "anxious"), (0.1, 0.9, "avoidant"), (0.9, 0.9, "fearful"),
])
def test_style_follows_the_quadrant(anxiety, avoidance, style):
    assert sim.Partner(anxiety=anxiety, avoidance=avoidance).style == style


def test_swapped_exchanges_the_partners():
    c = sim.PRESETS["anxious-avoidant"]
    assert c.swapped().a == c.b and c.swapped().b == c.a


@pytest.mark.parametrize(("anxiety", "avoidance"), [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)])
def test_derived_parameters_stay_in_their_declared_ranges_at_every_corner_of_the_score_plane(anxiety, avoidance):
    for name, value in sim.Partner(anxiety=anxiety, avoidance=avoidance).params().items():
        spec = PARTNER_PARAMS[name]
        assert spec.low <= value <= spec.high, (name, value)


def test_the_trap_has_a_structural_gap_and_a_secure_pair_a_shared_comfort_zone():
    """In the classic trap B's comfort ceiling lies below A's security floor: no closeness is comfortable
    for both. Two secure partners share a band of closeness between floor and ceiling."""
    trap = sim.PRESETS["anxious-avoidant"]
    assert trap.b.params()["comfort_ceiling"] < trap.a.params()["security_floor"]
    secure = sim.PRESETS["secure"]
    floor = max(p.params()["security_floor"] for p in (secure.a, secure.b))
    ceiling = min(p.params()["comfort_ceiling"] for p in (secure.a, secure.b))
    assert ceiling - floor > 0.5


def test_every_partner_parameter_has_a_source():
    for name, spec in PARTNER_PARAMS.items():
        assert spec.source, name


def test_couple_arrays_give_each_partners_own_parameters_and_the_pairs_values():
    """One pass over many couples gives what each partner's ``params()`` says, overrides included
    (on a, on b, on both, on neither), and each couple's closeness, fading and fear ceiling."""
    import numpy as np

    rng = np.random.default_rng(5)
    couples = []
    for k in range(40):
        a = sim.Partner(anxiety=rng.uniform(), avoidance=rng.uniform(),
                        **({"longing": 0.7} if k % 3 == 0 else {}))
        b = sim.Partner(anxiety=rng.uniform(), avoidance=rng.uniform(),
                        **({"alarm_lag": 9.0, "relief": 0.2} if k % 4 == 1 else {}))
        couples.append(sim.Couple(a=a, b=b, closeness0=rng.uniform(0.2, 2.0), fading=rng.uniform(0.1, 1.0),
                                  fear_ceiling=rng.uniform(1.0, 6.0)))
    params, pair = sim.partners.couple_arrays(couples)
    assert params.shape == (40, 2, len(PARTNER_PARAMS)) and pair.shape == (40, 3)
    for k, c in enumerate(couples):
        for i, partner in enumerate((c.a, c.b)):
            assert params[k, i].tolist() == [partner.params()[name] for name in PARTNER_PARAMS]
        assert pair[k].tolist() == [c.closeness0, c.fading, c.fear_ceiling]
    assert params[0, 0, list(PARTNER_PARAMS).index("longing")] == 0.7
    assert params[1, 1, list(PARTNER_PARAMS).index("alarm_lag")] == 9.0
