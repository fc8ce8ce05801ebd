"""Stand-in for the pip bootstrap script (get-pip.py) that ansible-test downloads before its sanity tests.

ansible-test fetches get-pip from a host that this project's machines cannot reach, and reads it from
~/.ansible/test/cache/get_pip_<version>.py when it is there. run.sh puts this file in that place. It does what
get-pip does, with the standard library's ensurepip and the package index pip is configured for: install pip
into the interpreter that runs it, then install the packages ansible-test asked for (for example pip==24.2).
"""

import subprocess
import sys

# Options only get-pip.py understands; pip install would reject them.
GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}


def main() -> None:
    arguments = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY_OPTIONS]
    subprocess.run([sys.executable, "-m", "ensurepip", "--default-pip"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "pip", "install", *arguments], check=True)


if __name__ == "__main__":
    main()
