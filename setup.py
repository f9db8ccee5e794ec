"""The top-level `resources/` folder ships inside the wheel as the package `edgeapp.resources`.

Everything else about the build is in pyproject.toml; setuptools' package discovery cannot map a
folder outside `edgeapp/` into it, so the package list and that one mapping are given here.
"""

from setuptools import find_packages, setup

DATA_FOLDERS = ["", ".prompts", ".gatekeeper", ".icons", ".linux"]  # resources/ and its subfolders

setup(
    packages=[*find_packages(include=["edgeapp", "edgeapp.*"]), *(f"edgeapp.resources{d}" for d in DATA_FOLDERS)],
    package_dir={"edgeapp.resources": "resources"},
)
