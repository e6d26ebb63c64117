"""`qingdan serve` rebuilds the handbook when a YAML data file changes."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import FIXTURES, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_serve_reloads_on_yaml_change(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    port = free_port()
    url = f"http://127.0.0.1:{port}/units/demo.minzheng/"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--data", str(data), "--as-of", "2024-05-01",
                             "--addr", f"127.0.0.1:{port}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: "示范县民政局" in (fetch(url) or ""), 60), "serve did not come up"
        base = data / "base.yaml"
        base.write_text(base.read_text(encoding="utf-8").replace("name: 示范县民政局", "name: 示范县民政和社会事务局"),
                        encoding="utf-8")
        assert wait_for(lambda: "示范县民政和社会事务局" in (fetch(url) or ""), 30), "no rebuild after the YAML edit"
        base.write_text(base.read_text(encoding="utf-8").replace("lead: [demo.minzheng]", "lead: [demo.nobody]"),
                        encoding="utf-8")  # a mistake while serving: said in Chinese
        time.sleep(4)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    said = proc.stdout.read()
    # the user is told where the preview is and sees each rebuild, in Chinese
    assert f"预览地址：http://127.0.0.1:{port}/" in said and "检测到文件改动" in said
    assert said.count("手册已生成") >= 2 and "Serving" not in said and "Traceback" not in said
    assert "E302" in said and "重新生成失败（原因见上）" in said and "Aborted" not in said and "An error" not in said
