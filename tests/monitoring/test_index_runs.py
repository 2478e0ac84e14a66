"""Index runs are stored with settings and checksums and recompute to the same numbers."""

import numpy as np
import pytest

from gemeinsinn.monitoring import services
from gemeinsinn.monitoring.models import Value


@pytest.fixture
def definition(index_definition):
    return index_definition


def test_run_stores_results_settings_and_checksums(definition):
    run = services.run_index(definition, 2025)
    results = {r.area.key: r for r in run.results.select_related("area")}
    assert set(results) == {"0101", "0102", "0201", "0202"}
    assert results["0202"].included is False  # 250 residents < 300
    assert results["0202"].exclusion_reason == "population_below_minimum"
    included = [r for r in results.values() if r.included]
    indices = np.array([r.status_index for r in included])
    assert indices.mean() == pytest.approx(0, abs=1e-12)
    assert indices.std() == pytest.approx(1)  # population SD over the included areas
    assert max(included, key=lambda r: r.status_index).area.key == "0201"
    for r in included:  # the contributions explain the index exactly
        status_parts = {k: v for k, v in r.contributions.items() if not k.endswith("__change")}
        assert sum(status_parts.values()) == pytest.approx(r.status_index)
    assert run.parameters["min_population"] == 300 and len(run.input_checksum) == 64


def test_recomputation_gives_the_same_numbers(definition):
    run = services.run_index(definition, 2025)
    check = services.verify_run(run)
    assert check.same_inputs and check.same_results
    again = services.run_index(definition, 2025)
    assert again.result_checksum == run.result_checksum


def test_changed_data_is_detected(definition):
    run = services.run_index(definition, 2025)
    Value.objects.filter(indicator__code="arbeitslosenanteil", area__key="0101", year=2025).update(
        value=50.0
    )
    check = services.verify_run(run)
    assert not check.same_inputs and not check.same_results


def test_year_without_data_is_a_clear_error(definition):
    from gemeinsinn.formats.problems import InputError

    with pytest.raises(InputError, match="2030"):
        services.run_index(definition, 2030)


def test_reference_set_defines_the_standard(definition):
    definition.reference_keys = "0101, 0201"
    definition.save()
    run = services.run_index(definition, 2025)
    results = {r.area.key: r for r in run.results.select_related("area")}
    reference = np.array([results[k].status_index for k in ("0101", "0201")])
    assert reference.mean() == pytest.approx(0, abs=1e-12)
    assert reference.std() == pytest.approx(1)
    assert results["0102"].included  # standardised on the reference, but still in the index
    assert run.parameters["reference_keys"] == ["0101", "0201"]
