"""Every finding the field app offers at the door is sent as a status the server records from a reader
(metering.choices.ENTERED_STATUSES); an app status the server refuses would be lost at sync."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from urja.metering.choices import ENTERED_STATUSES

NODE = shutil.which("node")
LOGIC = Path(__file__).resolve().parents[1] / "static" / "field" / "logic.js"


@pytest.mark.skipif(NODE is None, reason="node is not installed: the field app's JS tests need node 20")
def test_every_finding_is_a_status_the_server_takes():
    script = (
        f"import {{ FINDINGS }} from {json.dumps(LOGIC.as_uri())};"
        "process.stdout.write(JSON.stringify(FINDINGS));"
    )
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    findings = json.loads(done.stdout)
    statuses = {f["status"] for f in findings}
    assert statuses == set(ENTERED_STATUSES)  # none refused by the server, none it takes left out
    assert {"BURNT", "DISPLAY_OFF"} <= {f["code"] for f in findings}
