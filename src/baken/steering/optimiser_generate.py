"""A random but realistic jaarplan instance, deterministic by seed (tests, benchmarks)."""

from __future__ import annotations

import random
from dataclasses import replace

from baken.steering.optimiser_types import Assignment, PlanProblem, Requirement, Skill

PRIORITY_WEIGHTS: dict[int, float] = {1: 16.0, 2: 8.0, 3: 4.0, 4: 2.0, 5: 1.0}
"""GA I&V priority (1 = highest) to objective weight: each step halves the weight."""

THEMES = (
    "Rusland",
    "China",
    "Midden-Oosten",
    "Venezuela",
    "Early warning",
    "Contraproliferatie",
    "Extremisme en terrorisme",
    "Militaire technologie",
    "Economische veiligheid",
    "Cyber",
    "Criminele netwerken",
    "Gereedheid Hoofdtaak 1",
)
MINISTRIES = ("AZ", "BZ", "JenV", "Defensie", "BZK")
_BASE_SKILLS = (
    "analyse",
    "collectie",
    "cyber",
    "sigint",
    "humint",
    "osint",
    "techniek",
    "data",
    "juridisch",
    "taal-RU",
    "taal-ZH",
    "taal-AR",
    "taal-FA",
    "taal-KO",
    "taal-ES",
)
CAPACITY_SHARE = 0.6  # of the total demand at max_fte, so real choices are needed


def _skill_codes(n: int) -> list[str]:
    codes = list(_BASE_SKILLS[:n])
    codes += [f"specialisme-{i:02d}" for i in range(1, n - len(codes) + 1)]
    return codes


def generate(seed: int, n_requirements: int, n_assignments: int, n_skills: int) -> PlanProblem:
    """Requirements spread over the 2026 themes; assignments covering 2–8 of them (mostly
    in their own theme) with 2–4 skills; ~5% mandatory; ~4% in joint AIVD–MIVD pairs;
    every skill and the budget at 60% of what all assignments at max_fte would need."""
    if n_skills < 4 or n_requirements < 8 or n_assignments < 2:
        raise ValueError("need at least 4 skills, 8 requirements and 2 assignments")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    codes = _skill_codes(n_skills)
    requirements = tuple(
        Requirement(
            id=f"B{i:05d}",
            priority_weight=PRIORITY_WEIGHTS[rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))],
            theme=rng.choice(THEMES),
            ministry=rng.choice(MINISTRIES),
        )
        for i in range(1, n_requirements + 1)
    )
    by_theme: dict[str, list[str]] = {}
    for r in requirements:
        by_theme.setdefault(r.theme, []).append(r.id)
    all_ids = [r.id for r in requirements]

    assignments: list[Assignment] = []
    for i in range(1, n_assignments + 1):
        theme = rng.choice(THEMES)
        own = by_theme.get(theme, all_ids)
        covers: dict[str, float] = {}
        for _ in range(rng.randint(2, 8)):
            pool = own if rng.random() < 0.75 else all_ids
            covers[rng.choice(pool)] = round(rng.uniform(0.15, 1.0), 2)
        while len(covers) < 2:  # a small theme can repeat a pick
            covers[rng.choice(all_ids)] = round(rng.uniform(0.15, 1.0), 2)
        mix_codes = rng.sample(codes, rng.randint(2, 4))
        raw = [rng.uniform(0.2, 1.0) for _ in mix_codes]
        max_fte = round(rng.lognormvariate(1.8, 0.5), 1) + 1.0
        assignments.append(
            Assignment(
                id=f"O{i:04d}",
                title=f"Onderzoeksopdracht {theme} {i}",
                theme=theme,
                min_fte=round(max_fte * rng.uniform(0.25, 0.6), 1),
                max_fte=max_fte,
                skill_mix={c: v / sum(raw) for c, v in zip(mix_codes, raw, strict=True)},
                cost_meur_per_fte=round(rng.uniform(0.11, 0.19), 3),
                covers=covers,
                mandatory=rng.random() < 0.05,
            )
        )
    # Joint pairs: the partner's FTE range is built around share × the lead's range.
    n_pairs = n_assignments // 50
    picks = rng.sample(range(n_assignments), 2 * n_pairs)
    for lead, partner in zip(picks[::2], picks[1::2], strict=True):
        share = round(rng.uniform(0.3, 1.0), 2)
        a, p = assignments[lead], assignments[partner]
        assignments[lead] = replace(a, joint_with=p.id, joint_share=share)
        assignments[partner] = replace(
            p,
            min_fte=round(share * a.min_fte * rng.uniform(0.7, 1.0), 2),
            max_fte=round(share * a.max_fte * rng.uniform(1.0, 1.3), 2),
        )

    demand = dict.fromkeys(codes, 0.0)
    for a in assignments:
        for c, share in a.skill_mix.items():
            demand[c] += share * a.max_fte
    skills = tuple(Skill(c, round(CAPACITY_SHARE * demand[c], 1)) for c in codes)
    money = sum(a.cost_meur_per_fte * a.max_fte for a in assignments)
    return PlanProblem(
        skills=skills,
        budget_meur=round(CAPACITY_SHARE * money, 2),
        requirements=requirements,
        assignments=tuple(assignments),
    )
