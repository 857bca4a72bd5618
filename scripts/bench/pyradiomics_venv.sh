# Sourced by the scripts that run PyRadiomics (from the repository root): makes `.venv-pyrad`
# (kept out of git) hold PyRadiomics 3.0.1 with every dependency of its image filters, as
# shared/refs/reference-tools.md lists them. An environment without scikit-image or trimesh is
# completed, because PyRadiomics then skips the LBP filters with only a log warning and a
# comparison would silently miss their features.
if [ ! -x .venv-pyrad/bin/python ]; then
  python3 -m venv .venv-pyrad
fi
if ! .venv-pyrad/bin/python -c "import radiomics, skimage, trimesh, pywt" 2>/dev/null; then
  .venv-pyrad/bin/pip install -q "numpy<2" "SimpleITK<2.4" PyWavelets pykwalify six setuptools wheel \
    "scipy<1.15" "scikit-image==0.24.0" "trimesh==5.2.0"
  .venv-pyrad/bin/pip install -q --no-build-isolation pyradiomics==3.0.1
fi
