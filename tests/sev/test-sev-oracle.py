#!/usr/bin/python3
# Debian's interpreter on purpose: the oracle's modules (python3-libvirt, python3-lxml,
# python3-cryptography) are Debian packages, invisible to another python3 on PATH.
"""vscenctl's offline SEV tools against libvirt's virt-qemu-sev-validate as an
independent oracle (TAP).

For random TIK/TEK/nonce/platform values and the real OVMF images of the ovmf package,
SEV and SEV-ES (1-4 vCPUs, CPU signature or VMSA files), with and without kernel hashes:
the correct measurement is computed here with hashlib/hmac (the VMSAs of a CPU signature
with the oracle's own VMSA model), then both tools must accept it, and both must reject
it once one bit of the measurement, the firmware, the TIK, the policy, the build id or
the nonce is flipped. Secrets built by both tools for the same inputs must decrypt to the
same table and carry a valid header MAC; `build-secret --iv` must reproduce sevctl's
fixed-IV vectors byte for byte.

VT_SEV_ORACLE_SEED and VT_SEV_ORACLE_CASES reproduce or widen a run; the seed is logged.
"""
import base64
import contextlib
import glob
import hashlib
import hmac
import importlib.machinery
import importlib.util
import io
import os
import random
import struct
import subprocess
import sys
import tempfile
import uuid

VALIDATE = "/usr/bin/virt-qemu-sev-validate"
SEED = int(os.environ.get("VT_SEV_ORACLE_SEED", "20240917"))
CASES = int(os.environ.get("VT_SEV_ORACLE_CASES", "240"))
CLI_CASES = 12            # cases also run through the oracle's own process
BUILD = os.environ.get("VT_BUILD_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..",
                                                        "build")
VSCENCTL = os.path.join(BUILD, "client", "vscenctl")
FLIPS = ["measurement", "firmware", "tik", "policy", "build", "nonce"]
TESTS = []


def guid(text):
    return uuid.UUID(text).bytes_le


def tap(ok, name, detail=None):
    TESTS.append(ok)
    print(("ok" if ok else "not ok") + " %d - %s" % (len(TESTS), name))
    if detail and not ok:
        for line in str(detail).splitlines():
            print("#   " + line)


def load_oracle():
    missing = [m for m in ("libvirt", "lxml", "cryptography")
               if importlib.util.find_spec(m) is None]
    if not os.path.exists(VALIDATE) or missing:
        print("Bail out! virt-qemu-sev-validate needs libvirt-clients-qemu, python3-libvirt, "
              "python3-lxml, python3-cryptography (scripts/packages.txt); missing: %s"
              % (missing or [VALIDATE]))
        sys.exit(1)
    loader = importlib.machinery.SourceFileLoader("sev_validate", VALIDATE)
    spec = importlib.util.spec_from_loader("sev_validate", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


ORACLE = load_oracle()


def run_oracle(args, in_process=True):
    """The oracle's exit status for @args (its command line, offline mode)."""
    if not in_process:
        return subprocess.run([sys.executable, VALIDATE] + args, capture_output=True).returncode
    saved = sys.argv
    sys.argv = [VALIDATE] + args
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            ORACLE.main()
    except SystemExit as e:
        return e.code
    finally:
        sys.argv = saved
    return 0


def run_vscenctl(args):
    proc = subprocess.run([VSCENCTL, "sev"] + args, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


# --- the expected measurement, computed independently -------------------------------

def kernel_table(kernel, initrd, cmdline):
    def entry(g, digest):
        return g + struct.pack("<H", 16 + 2 + 32) + digest
    body = (entry(guid("97d02dd8-bd20-4c94-aa78-e7714d36ab2a"),
                  hashlib.sha256(cmdline.encode() + b"\0").digest())
            + entry(guid("44baf731-3a2f-4bd7-9af1-41e29169781d"),
                    hashlib.sha256(initrd).digest())
            + entry(guid("4de79437-abd2-427f-b835-d5b172d2045b"),
                    hashlib.sha256(kernel).digest()))
    table = guid("9438d606-4f22-4cc9-b479-a793d411fd21") + struct.pack("<H", 18 + len(body)) + body
    return table + bytes(-len(table) % 16)


def oracle_vmsas(firmware, family, model, stepping):
    """vCPU 0 and AP VMSA pages as the oracle models them."""
    ovmf = ORACLE.OVMF()
    ovmf.load(firmware)
    vmsa = ORACLE.VMSA()
    vmsa.amd64_cpu_init()
    vmsa.kvm_cpu_init()
    vmsa.qemu_cpu_init()
    vmsa.cpu_sku(family, model, stepping)
    cpu0 = vmsa.pack()
    vmsa.reset_addr(ovmf.reset_addr())
    return cpu0, vmsa.pack()


def measure(case, firmware):
    data = firmware
    if case["kernel"] is not None:
        data += kernel_table(case["kernel"], case["initrd"] or b"", case["cmdline"] or "")
    if case["policy"] & 4:
        data += case["vmsa0"] + case["vmsa1"] * (case["cpus"] - 1)
    msg = (bytes([4, case["major"], case["minor"], case["build"]])
           + struct.pack("<I", case["policy"]) + hashlib.sha256(data).digest() + case["nonce"])
    return hmac.new(case["tik"], msg, "sha256").digest()


# --- cases ---------------------------------------------------------------------------

def write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def make_case(rng, images, firmware_cache, n):
    path = images[n % len(images)]
    firmware = firmware_cache[path]
    es = n % 2 == 1
    policy = rng.choice([0x1, 0x3, 0x33, 0x0b]) | (rng.randrange(256) << 16 if rng.random() < 0.3 else 0)
    policy = policy | 4 if es else policy & ~4
    case = dict(firmware=path, policy=policy, major=rng.randrange(256), minor=rng.randrange(256),
                build=rng.randrange(256), tik=rng.randbytes(16), tek=rng.randbytes(16),
                nonce=rng.randbytes(16), kernel=None, initrd=None, cmdline=None, cpus=None,
                sku=None, vmsa0=None, vmsa1=None, vmsa_files=False, tk=rng.random() < 0.25)
    if (n // 2) % 2 == 1:
        case["kernel"] = rng.randbytes(rng.randrange(1, 5000))
        case["initrd"] = rng.randbytes(rng.randrange(1, 5000)) if rng.random() < 0.7 else None
        case["cmdline"] = (" ".join("".join(rng.choice("abcxyz=/._-0123") for _ in range(rng.randrange(1, 12)))
                                    for _ in range(rng.randrange(1, 6))) + " " * rng.randrange(2)
                           if rng.random() < 0.8 else None)
    if es:
        case["cpus"] = 1 + (n // 4) % 4
        if rng.random() < 0.7:
            case["sku"] = (rng.choice([0x17, 0x19, 0x1a]), rng.randrange(256), rng.randrange(16))
            case["vmsa0"], case["vmsa1"] = oracle_vmsas(firmware, *case["sku"])
        else:
            case["vmsa_files"] = True
            case["vmsa0"], case["vmsa1"] = rng.randbytes(4096), rng.randbytes(4096)
    case["measurement"] = measure(case, firmware) + case["nonce"]
    return case


def case_args(case, d):
    args = ["--measurement", base64.b64encode(case["measurement"]).decode(),
            "--api-major", str(case["major"]), "--api-minor", str(case["minor"]),
            "--build-id", str(case["build"]), "--policy", str(case["policy"]),
            "--firmware", case["firmware"]]
    if case["tk"]:
        args += ["--tk", write(d, "tk", case["tek"] + case["tik"])]
    else:
        args += ["--tik", write(d, "tik", case["tik"]), "--tek", write(d, "tek", case["tek"])]
    if case["kernel"] is not None:
        args += ["--kernel", write(d, "kernel", case["kernel"])]
        if case["initrd"] is not None:
            args += ["--initrd", write(d, "initrd", case["initrd"])]
        if case["cmdline"] is not None:
            # --cmdline=TEXT: argparse takes a value that starts with "-" for an option.
            args += ["--cmdline=" + case["cmdline"]]
    if case["cpus"] is not None:
        args += ["--num-cpus", str(case["cpus"])]
        if case["vmsa_files"]:
            # Always --vmsa-cpu1: the oracle (libvirt 9.0) fails with one vCPU and no
            # vCPU 1 VMSA ("None * 0"); vscenctl ignores it then (unit-tested alone).
            args += ["--vmsa-cpu0", write(d, "vmsa0", case["vmsa0"]),
                     "--vmsa-cpu1", write(d, "vmsa1", case["vmsa1"])]
        else:
            args += ["--cpu-family", str(case["sku"][0]), "--cpu-model", str(case["sku"][1]),
                     "--cpu-stepping", str(case["sku"][2])]
    return args


def flip_bit(data, rng, lo=0, hi=None):
    hi = len(data) if hi is None else hi
    i = rng.randrange(lo, hi)
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]


def flipped(case, what, rng, d, firmware_cache):
    bad = dict(case)
    if what == "measurement":
        bad["measurement"] = flip_bit(case["measurement"], rng, 0, 32)
    elif what == "nonce":
        bad["measurement"] = flip_bit(case["measurement"], rng, 32, 48)
    elif what == "tik":
        bad["tik"] = flip_bit(case["tik"], rng)
    elif what == "build":
        bad["build"] = case["build"] ^ (1 << rng.randrange(8))
    elif what == "policy":     # any bit but ES, which changes what the tools are asked
        bad["policy"] = case["policy"] ^ (1 << rng.choice([b for b in range(32) if b != 2]))
    elif what == "firmware":   # before the GUIDed table, so the image stays an OVMF image
        fw = firmware_cache[case["firmware"]]
        bad["firmware"] = write(d, "firmware-flipped", flip_bit(fw, rng, 0, len(fw) - 4096))
    return bad


def check_case(n, case, rng, d, firmware_cache):
    args = case_args(case, d)
    label = "case %d (%s, %s, %s, %s)" % (
        n, os.path.basename(case["firmware"]),
        "SEV-ES %d vCPU%s %s" % (case["cpus"], "s" if case["cpus"] > 1 else "",
                                 "VMSA files" if case["vmsa_files"] else "CPU %d/%d/%d" % case["sku"])
        if case["cpus"] else "SEV",
        "kernel hashes" if case["kernel"] is not None else "no kernel hashes",
        "--tk" if case["tk"] else "--tik/--tek")
    oracle = run_oracle(args, in_process=n >= CLI_CASES)
    mine, out = run_vscenctl(["verify"] + args)
    agree_ok = oracle == 0 and mine == 0
    what = FLIPS[n % len(FLIPS)]
    bad_args = case_args(flipped(case, what, rng, d, firmware_cache), d)
    bad_oracle = run_oracle(bad_args, in_process=n >= CLI_CASES)
    bad_mine, bad_out = run_vscenctl(["verify"] + bad_args)
    flip_ok = bad_oracle == 1 and bad_mine == 1
    return agree_ok, flip_ok, label, what, (oracle, mine, out, bad_oracle, bad_mine, bad_out, args)


# --- secrets ---------------------------------------------------------------------------

def decrypt_packet(header, payload, case):
    """The plaintext table of a packet, after checking its header MAC independently."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    flags, iv, mac = header[:4], header[4:20], header[20:]
    msg = (b"\x01" + flags + iv + struct.pack("<II", len(payload), len(payload)) + payload
           + case["measurement"][:32])
    if not hmac.compare_digest(hmac.new(case["tik"], msg, "sha256").digest(), mac):
        return None
    dec = Cipher(algorithms.AES(case["tek"]), modes.CTR(iv)).decryptor()
    return dec.update(payload) + dec.finalize()


def check_secret(n, case, rng, d):
    secrets = []
    for i in range(rng.randrange(1, 4)):
        name = "luks-key" if i == 0 and rng.random() < 0.5 else str(uuid.UUID(bytes=rng.randbytes(16)))
        secrets += ["--inject-secret", "%s:%s" % (name, write(d, "secret%d" % i, rng.randbytes(rng.randrange(0, 200))))]
    args = case_args(case, d) + secrets
    out = {}
    for tool in ("oracle", "vscenctl"):
        files = ["--secret-header", os.path.join(d, tool + ".hdr"),
                 "--secret-payload", os.path.join(d, tool + ".bin")]
        status = (run_oracle(args + files) if tool == "oracle"
                  else run_vscenctl(["build-secret"] + args + files)[0])
        with open(files[1], "rb") as h, open(files[3], "rb") as p:
            out[tool] = (status, decrypt_packet(base64.b64decode(h.read()), base64.b64decode(p.read()), case))
    (s1, t1), (s2, t2) = out["oracle"], out["vscenctl"]
    length = struct.unpack("<I", t2[16:20])[0] if t2 else 0
    # The oracle pads an already aligned table with 16 more zero bytes; the table's own
    # length field tells the guest where it ends, so only that part must be equal.
    same = (t1 is not None and t2 is not None and t1[:length] == t2[:length]
            and not any(t1[length:]) and not any(t2[length:]) and len(t2) == -(-length // 16) * 16)
    tap(s1 == 0 and s2 == 0 and same, "secret %d: both build a table with a valid header MAC, "
        "the same plaintext (%d secrets)" % (n, len(secrets) // 2), (s1, s2, t1, t2))


SEVCTL_SECRETS = [
    # tests/secretbuild.rs of virtee/sevctl: one secret, then two.
    ([("736869e5-84f0-4973-92ec-06879ce3da0b", b"MY-LUKS-PASSPHRASE")],
     "AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q==",
     "0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL12yyinDa+lVfCCwD/2w5cPA=="),
    ([("luks-key", b"MY-LUKS-PASSPHRASE"), ("736869e5-aaaa-4973-92ec-06879ce3da0b", b"SOME OTHER SECRET")],
     "AAAAAKxUdO1N0yx9mJ7FI9klWeyZ3r0dOEKHUOhIRqzGYYvTJgdMtBPL1nK6GD9aGET7Ng==",
     "0U3e5PcXv0UW+H4tSBFKObWYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj56GL12yyinDa+lVfCC+WWs332lpLNUX1ZI3YK7vYgtys4X+uGxEIlkIQ90v8/w8ZFmQMe"),
]


def check_sevctl_vectors(d):
    tik = write(d, "sevctl-tik", bytes.fromhex("c6d5a9956133050912b24bbe5c372686"))
    tek = write(d, "sevctl-tek", bytes.fromhex("52a869b79ab9c13bb6a92b0561619cb3"))
    for n, (secrets, header, payload) in enumerate(SEVCTL_SECRETS):
        args = ["build-secret", "--tik", tik, "--tek", tek, "--iv", "rFR07U3TLH2YnsUj2SVZ7A==",
                "--measurement", "TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5Q2o4prA++3ZZv9ZS",
                "--secret-header", os.path.join(d, "h"), "--secret-payload", os.path.join(d, "p")]
        for i, (name, data) in enumerate(secrets):
            args += ["--inject-secret", "%s:%s" % (name, write(d, "s%d" % i, data))]
        status, out = run_vscenctl(args)
        with open(os.path.join(d, "h")) as h, open(os.path.join(d, "p")) as p:
            got = (h.read(), p.read())
        tap(status == 0 and got == (header, payload),
            "build-secret --iv equals sevctl's fixed-IV vector %d byte for byte" % (n + 1),
            "%s\n%s\n%s" % (status, out, got))


def main():
    print("# seed %d (VT_SEV_ORACLE_SEED), %d cases (VT_SEV_ORACLE_CASES)" % (SEED, CASES))
    rng = random.Random(SEED)
    images = sorted(p for p in glob.glob("/usr/share/OVMF/OVMF_CODE*.fd") if not os.path.islink(p))
    if not images:
        print("Bail out! no OVMF image in /usr/share/OVMF (package ovmf)")
        sys.exit(1)
    firmware_cache = {p: open(p, "rb").read() for p in images}
    print("# firmware images: %s" % ", ".join(os.path.basename(p) for p in images))
    agree = mismatch = 0
    with tempfile.TemporaryDirectory() as d:
        check_sevctl_vectors(d)
        for n in range(CASES):
            case = make_case(rng, images, firmware_cache, n)
            agree_ok, flip_ok, label, what, detail = check_case(n, case, rng, d, firmware_cache)
            agree += agree_ok
            mismatch += flip_ok
            tap(agree_ok, label + ": both accept the correct measurement", detail)
            tap(flip_ok, label + ": a flipped %s bit is a mismatch for both" % what, detail)
            if n % 10 == 0:
                check_secret(n, case, rng, d)
    print("# oracle: %d cases, %d agree on the correct measurement; %d flipped-bit cases "
          "are a mismatch for both" % (CASES, agree, mismatch))
    print("1..%d" % len(TESTS))
    sys.exit(0 if all(TESTS) else 1)


if __name__ == "__main__":
    main()
