"""Message ids that ``pybabel extract`` cannot see where they are used.

They are translated through a variable (``ctx._(title)``, ``_(item.status)``,
``_(name)``, ``ctx._(message)`` for form validation errors). Listing them here with
``N_`` puts them in ``messages.pot``, so ``pybabel update`` keeps their Dutch instead of
marking it obsolete. Nothing imports this at runtime; ``tests/test_i18n.py`` checks it.
"""

from __future__ import annotations

from baken.core.i18n import N_

# baken.web.errors.TITLES (test_i18n checks that every title is listed here)
ERROR_TITLES = (
    N_("The request could not be understood"),
    N_("Sign in first"),
    N_("You may not do this"),
    N_("Not found"),
    N_("This method is not allowed here"),
    N_("The request is too large"),
    N_("This type of content is not accepted"),
    N_("The data sent is not valid"),
    N_("Too many attempts; wait a moment"),
    N_("Something went wrong on our side"),
    N_("Baken is briefly unavailable; try again in a moment"),
    N_("The storage is full"),
)

# The detail of the CSRF refusal in baken.web.errors.
ERROR_DETAILS = (N_("The form was out of date or not sent from Baken. Reload and try again."),)

# Status of a sanitisation request: _(s.status) in the templates.
STATUSES = (
    N_("requested"),
    N_("approved"),
    N_("rejected"),
)

# Field names of a sanitised version: _(name) in sanitisation.html.
FIELDS = (
    N_("title"),
    N_("body"),
    N_("reason"),
)

# Fixed validation messages (pydantic's own and the marking validators) that
# baken.web.forms.field_errors passes through ctx._(message).
VALIDATION = (
    N_("String should have at least 1 character"),
    N_("String should have at most 200 characters"),
    N_("String should have at most 20000 characters"),
    N_("Input should be 0, 1, 2, 3 or 4"),
    N_("Input should be 'AIVD', 'MIVD' or 'JOINT'"),
    N_("a list of codes"),
)

# Status of a GA I&V version and of a progress report: _(version.status), _(r.status).
STEERING_STATUSES = (
    N_("draft"),
    N_("vastgesteld"),
    N_("sent"),
)

# Status of a solved plan version (baken.steering.optimiser_types.PlanStatus): _(v.status).
SOLVE_STATUSES = (
    N_("optimal"),
    N_("gap"),
    N_("time_limit"),
    N_("heuristic"),
    N_("infeasible"),
)

# Coverage classes (baken.steering.charts.CLASSES, optimiser_types.Dekking):
# _(r['dekking']) in version.html and gettext(locale, c) in the charts.
COVERAGE = (
    N_("gedekt"),
    N_("deels gedekt"),
    N_("niet gedekt"),
)

# Field names of the steering forms: _(field) in the error lists, _(f) in the GA diff.
STEERING_FIELDS = (
    N_("ref"),
    N_("question"),
    N_("theme"),
    N_("ministry"),
    N_("priority"),
    N_("service"),
    N_("task"),
    N_("staatscourant_ref"),
    N_("update_year"),
    N_("heading"),
    N_("section"),
    N_("narrative"),
    N_("status"),
    N_("indicators"),
    N_("extra_fte"),
    N_("extra_budget_meur"),
    N_("pins"),
    N_("excludes"),
    N_("level"),
    N_("owner"),
    N_("compartments"),
    N_("originators"),
    N_("releasable_to"),
    N_("marking"),
    N_("note"),
)

# Validator messages of baken.steering.schemas that field_errors passes through ctx._.
STEERING_VALIDATION = (
    N_("use a code like BH-0042"),
    N_("unknown theme"),
    N_("unknown ministry"),
    N_("service must be AIVD, MIVD or JOINT"),
    N_("this task is not one of the service's tasks"),
    N_("use the form 'Stcrt. 2026, 12345'"),
    N_("unknown status"),
    N_("indicator names are 1-60 characters"),
    N_("indicator value out of range"),
    N_("unknown section"),
    N_("the period runs forward and lasts at most five years"),
    N_("unknown target"),
    N_("a target cannot be negative"),
    N_("the minimum effort exceeds the maximum"),
    N_("the skill mix must add up to 1"),
    N_("a skill share cannot be negative"),
    N_("coverage is a fraction between 0 and 1"),
    N_("an assignment cannot be joint with itself"),
)

PLAN_FIELDS = (
    N_("label"),
    N_("period_start"),
    N_("period_end"),
    N_("year"),
    N_("code"),
    N_("min_fte"),
    N_("max_fte"),
    N_("skill_mix"),
    N_("cost_meur_per_fte"),
    N_("covers"),
    N_("joint_with"),
    N_("joint_share"),
    N_("title"),
    N_("budget_meur"),
    N_("ga_version_id"),
    N_("description"),
    N_("unit"),
    N_("skill"),
    N_("fte"),
    N_("assignment_id"),
    N_("period"),
)

ALL = (
    ERROR_TITLES
    + ERROR_DETAILS
    + STATUSES
    + FIELDS
    + VALIDATION
    + STEERING_STATUSES
    + SOLVE_STATUSES
    + COVERAGE
    + STEERING_FIELDS
    + STEERING_VALIDATION
    + PLAN_FIELDS
)

# Holdings: validation messages of baken.holdings.schemas, job kinds and states, the
# origins of statements and the facet names of the search page (_(name) in templates).
HOLDINGS = (
    N_("use 2-63 characters: a-z, 0-9, - and _"),
    N_("unknown collection kind"),
    N_("unknown legal basis"),
    N_("partner data needs its originator (third-party rule)"),
    N_("unknown originator"),
    N_("only partner data has an originator"),
    N_("a special power needs the reference of its permission"),
    N_("only data from a special power has a permission reference"),
    N_("the acquisition date lies in the future"),
    N_("retention ends before the acquisition date"),
    N_("upload"),
    N_("ingest"),
    N_("rerun"),
    N_("queued"),
    N_("running"),
    N_("done"),
    N_("failed"),
    N_("ner"),
    N_("import"),
    N_("bulk"),
    N_("mapping"),
    N_("collection"),
    N_("language"),
    N_("country"),
    N_("schema"),
    N_("kind"),
)

# baken.resolve.linkage: comparison names and level labels shown as a pair's explanation
# (resolve/pair_row.html translates them through a variable).
XREF_EXPLANATION = (
    N_("prior"),
    N_("name"),
    N_("birth_date"),
    N_("nationality"),
    N_("identifier"),
    N_("address"),
    N_("unknown"),
    N_("All other comparisons"),
    N_("same name"),
    N_("same name, other order"),
    N_("same name in another script or transliteration"),
    N_("name nearly the same (Jaro-Winkler >= 0.95)"),
    N_("same consonants"),
    N_("name similar (Jaro-Winkler >= 0.8)"),
    N_("one name sounds alike"),
    N_("same date"),
    N_("day and month swapped"),
    N_("one digit differs"),
    N_("same year"),
    N_("two digits differ"),
    N_("a nationality in common"),
    N_("an identifier in common"),
    N_("identifier with one typo"),
    N_("same address"),
    N_("address nearly the same (Jaro-Winkler >= 0.95)"),
    N_("address similar (Jaro-Winkler >= 0.85)"),
)

# baken.resolve.screening: the kind of evidence before the colon of an explanation line
# (resolve/screening.html translates it through a variable).
SCREENING_EXPLANATION = (
    N_("birth date equal"),
    N_("birth date agrees"),
    N_("birth date close"),
    N_("birth date differs"),
    N_("nationality equal"),
    N_("nationality differs"),
    N_("identifier equal"),
    N_("identifiers differ"),
)
