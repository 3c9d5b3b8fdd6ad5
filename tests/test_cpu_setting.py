"""Lambda's CPU share as a setting and a figure: the rule, the window's checkbox, workbench.json, the Summary."""

import json

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel

from workbench.core.child.containment import CGROUP_V1, Containment, fallback_containment
from workbench.core.lambda_rules.cpu_share import cpu_limit, cpu_share, visible_vcpus
from workbench.core.function.function_config import FunctionConfig
from workbench.core.function.invocation_result import InvocationResult, Status
from workbench.core.workspace.workspace_file import WorkspaceFileError, load_workspace_functions, save_workspace_functions
from workbench.ui.function_settings import FunctionSettings
from workbench.ui.summary_panel import SummaryPanel

CONFIG = FunctionConfig(name="Fn", handler="app.handler", runtime="python3.12", code_dir="/ws/fn")


@pytest.mark.parametrize("memory, vcpus", [(128, 2), (1769, 2), (3008, 2), (3009, 3), (5307, 3), (5308, 4),
                                           (7076, 4), (7077, 5), (8845, 5), (8846, 6), (10240, 6)])
def test_the_cpus_a_function_sees_follow_lambdas_steps(memory, vcpus):
    """2 CPUs up to 3,008 MB, then one more at every 1,769 MB, 6 at 10,240 MB."""
    assert visible_vcpus(memory) == vcpus


def test_the_quota_is_memory_over_1769_of_a_cpu():
    """128 MB gets 7.2% of a CPU, 1,769 MB a whole one; this machine's CPUs cap the rest."""
    assert cpu_share(1769) == 1.0
    small, one, big = cpu_limit(128, 2), cpu_limit(1769, 2), cpu_limit(10240, 2)
    assert small.quota_us / small.period_us == pytest.approx(128 / 1769, rel=0.01)
    assert one.quota_us == one.period_us and not one.capped_by_host
    assert big.cpus == 2 and big.quota_us == 2 * big.period_us and big.capped_by_host


def test_the_checkbox_edits_the_setting(qtbot):
    """Function settings: CPU scaling shows the config's value and a toggle is an edit."""
    form = FunctionSettings()
    qtbot.addWidget(form)
    form.set_config(CONFIG)
    box = form.findChild(QCheckBox, "scale_cpu")
    assert box.isChecked()
    with qtbot.waitSignal(form.config_changed) as blocker:
        box.setChecked(False)
    assert blocker.args[0].scale_cpu is False


def test_workbench_json_keeps_the_setting(tmp_path):
    """Off is written as "scaleCpu": false and read back; on (the default) is not written at all."""
    off = FunctionConfig(name="Off", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path),
                         scale_cpu=False)
    on = FunctionConfig(name="On", handler="app.handler", runtime="python3.12", code_dir=str(tmp_path))
    path = save_workspace_functions(tmp_path, [off, on])
    entries = json.loads(path.read_text())["functions"]
    assert entries[0]["scaleCpu"] is False and "scaleCpu" not in entries[1]
    assert [config.scale_cpu for config in load_workspace_functions(tmp_path)] == [False, True]


def test_a_setting_that_is_not_true_or_false_is_named(tmp_path):
    """"scaleCpu": "no" is refused with the field's path."""
    (tmp_path / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Fn", "handler": "app.handler", "runtime": "python3.12", "scaleCpu": "no"}]}))
    with pytest.raises(WorkspaceFileError) as error:
        load_workspace_functions(tmp_path)
    assert "functions[0].scaleCpu" in str(error.value) and 'expected true or false, got "no"' in str(error.value)


def _result(containment):
    return InvocationResult(request_id="r", status=Status.SUCCESS, payload=b"1", error_type=None,
                            platform_error_type=None, duration_ms=1.0, billed_duration_ms=1, init_duration_ms=None,
                            memory_size_mb=128, max_memory_used_mb=20, containment=containment)


def test_the_summary_says_which_cpu_and_what_held_the_environment(qtbot):
    """Scaled with a cgroup: the share and the mechanism; the fallback: full CPU and the missing guarantees."""
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    panel.show_result(_result(Containment(mechanism=CGROUP_V1, cpu_scaled=True, cpu_vcpus=0.072)))
    cpu, held = panel.findChild(QLabel, "summary_cpu"), panel.findChild(QLabel, "summary_containment")
    assert cpu.text() == "0.072 vCPU (scaled)" and held.text() == CGROUP_V1
    panel.show_result(_result(fallback_containment("turned off by LAMBDA_WORKBENCH_NO_CGROUPS")))
    assert cpu.text() == "full (no cgroup)"
    assert held.text() == "no cgroup: 5 missing"
    assert "Why: turned off by LAMBDA_WORKBENCH_NO_CGROUPS" in held.toolTip()
    assert "memory of detached children not counted" in held.toolTip()
