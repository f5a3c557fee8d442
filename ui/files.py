"""Files the page reads and offers: scenario upload, and the downloads (scenario, trajectory, figure).

Uploads are untrusted: :func:`scenario_from_upload` never raises, and answers with the ``app``
catalog key of a notice when a file cannot be used.
"""

from __future__ import annotations

from sim.result import Result
from sim.scenario import MAX_BYTES, Scenario, ScenarioError, load_scenario, save_scenario

from .i18n import t
from .query import fit_to_page

__all__ = ["CSV_FORMAT", "MAX_UPLOAD_MB", "csv_header", "scenario_from_upload", "scenario_json", "trajectory_csv"]

MAX_UPLOAD_MB = max(1, MAX_BYTES // 1_000_000)
"""Upload limit of the page's file field, in megabytes (the scenario format's own limit)."""


def scenario_from_upload(data: bytes) -> tuple[Scenario | None, str | None]:
    """Read an uploaded scenario file; never raises.

    Returns
    -------
    (scenario, None) for a good file; (scenario, "notice.upload_adjusted") when the file was
    valid but had to be brought within what the page offers (see :func:`ui.query.fit_to_page`);
    (None, notice key) when the file cannot be used: "notice.upload_big", or
    "notice.upload_bad.<code>" saying what is wrong by the loader's stable error code
    (``sim.scenario.ERROR_CODES``; the key's text never repeats what the file holds), or
    "notice.upload_bad" for anything else.
    """
    try:
        if not isinstance(data, bytes | bytearray | memoryview):
            return None, "notice.upload_bad"
        if len(data) > MAX_BYTES:
            return None, "notice.upload_big"
        scenario = load_scenario(bytes(data))
        fitted, notices = fit_to_page(scenario)
    except ScenarioError as err:
        return None, "notice.upload_big" if err.code == "too_large" else f"notice.upload_bad.{err.code}"
    except ValueError:
        return None, "notice.upload_bad"
    except Exception:  # noqa: BLE001 - a trust boundary: a file must never break the page
        return None, "notice.upload_bad"
    return fitted, ("notice.upload_adjusted" if notices else None)


def scenario_json(scenario: Scenario) -> str:
    """The scenario file (``sim.scenario`` format, JSON text)."""
    return save_scenario(scenario)


CSV_FORMAT = {"en": {"sep": ",", "decimal": "."}, "nl": {"sep": ";", "decimal": ","}}
"""How a spreadsheet in each language reads a CSV file: a Dutch one wants decimal commas, and so semicolons."""


def csv_header(result: Result, lang: str) -> list[str]:
    """The columns of :meth:`Result.to_frame` named as the page names them, with each partner's name
    (``t`` is "day"; ``engulfment_a`` is "fear of closeness (<A's name>)"; and so on; the letters when
    the two have the same name)."""
    names = [result.couple.a.name, result.couple.b.name]
    if names[0] == names[1]:
        names = ["A", "B"]
    header = []
    for column in result.to_frame().columns:
        base, _, who = column.rpartition("_")
        if who in ("a", "b") and base:
            header.append(t("app", f"csv.{base}", lang, name=names["ab".index(who)]))
        else:
            header.append(t("app", f"csv.{column}", lang))
    return header


def trajectory_csv(result: Result, lang: str = "en") -> str:
    """The run as a tidy table, one row per time step (``Result.to_frame``), as CSV text whose first line
    says what made it (``Result.to_csv``), its columns in the page's words of ``lang`` and its numbers
    the way a spreadsheet of that language reads them (:data:`CSV_FORMAT`)."""
    return result.to_csv(float_format="%.6g", header=csv_header(result, lang), **CSV_FORMAT.get(lang, CSV_FORMAT["en"]))
