"""The memory sweep on a Java function: the JVM's cold start is where memory size matters most, so each size
starts its own JVM (the first call cold) and the sweep shows its Init Duration beside the warm figures."""

import io
import json

from java_functions import require_jdk
from workbench.cli import tune as cli_tune

HANDLER = """\
package example;

import java.util.Map;

public class Orders {
    static final StringBuilder WARM = new StringBuilder();

    static {
        for (int i = 0; i < 2000; i++) {
            WARM.append(Integer.toHexString(i));
        }
    }

    public Map<String, Object> confirm(Map<String, Object> order) {
        return Map.of("orderId", order.get("orderId"), "status", "confirmed", "warm", WARM.length());
    }
}
"""


def test_tune_shows_init_duration_per_size_for_a_java_function(qapp, tmp_path):
    require_jdk()
    folder = tmp_path / "ws"
    (folder / "orders" / "example").mkdir(parents=True)
    (folder / "orders" / "example" / "Orders.java").write_text(HANDLER)
    (folder / "events").mkdir()
    (folder / "events" / "order.json").write_text(json.dumps({"orderId": "A-1"}))
    (folder / "workbench.json").write_text(json.dumps({"functions": [
        {"name": "Orders", "handler": "example.Orders::confirm", "runtime": "java21", "codeUri": "orders",
         "timeout": 30}]}))
    report = tmp_path / "sweep.json"
    out, err = io.StringIO(), io.StringIO()
    code = cli_tune.main(["Orders", "--preset", "order", "--workspace", str(folder), "--no-history",
                          "--sizes", "512,1024", "--runs", "2", "--json", str(report)], stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()
    document = json.loads(report.read_text())
    assert [entry["memoryMB"] for entry in document] == [512, 1024]
    for entry in document:
        assert not entry["failed"]
        assert entry["coldP50InitDurationMs"] > 0  # the JVM's start, class loading and static init
    lines = out.getvalue().splitlines()
    header = next(line for line in lines if "init p50" in line)
    init_column = header.index("init p50")
    for size in (512, 1024):
        line = next(line for line in lines if line.lstrip().startswith(f"{size} MB"))
        init_text = line[init_column - 2:init_column + len("init p50")].strip()
        assert init_text.endswith("ms") and float(init_text.split()[0]) > 0, line
