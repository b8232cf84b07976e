# ft-sandbox container image.
#
#   docker build -t ft-sandbox .
#   docker run --rm -p 8080:8080 -v ft-sandbox-data:/var/lib/ft-sandbox ft-sandbox
#
# The base only needs `python3` with the venv module, so the same file builds on the
# official image (default) and on a plain Debian bookworm with python3 + python3-venv:
#
#   docker build --build-arg BASE_IMAGE=my-debian-python3:bookworm .
#
# For networks that reach PyPI only through a mirror or a TLS-intercepting proxy (used only
# while building; nothing of either is kept in the final image):
#   --build-arg PIP_INDEX_URL=https://mirror.example/simple   package index (default: PyPI)
#   --secret id=pip-ca,src=/etc/ssl/certs/ca-certificates.crt CA bundle pip should trust
# (RUN --mount needs BuildKit, Docker's default builder, or buildah/podman.)
ARG BASE_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------
# deps: a virtual environment in /opt/venv with the project's dependencies only (and the
# `postgresql` extra: FT_SANDBOX_DATABASE_URL works in the image). They are read from
# pyproject.toml, so this stage is reused as long as the metadata does not change.
FROM ${BASE_IMAGE} AS deps

ARG PIP_INDEX_URL=https://pypi.org/simple
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1

RUN python3 -m venv /opt/venv

WORKDIR /src
COPY pyproject.toml ./
RUN --mount=type=secret,id=pip-ca \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && python3 -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['postgresql']))" > /tmp/requirements.txt \
 && /opt/venv/bin/pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# ---------------------------------------------------------------------------------------
# wheel: the project's wheel (fixtures/ is bundled into it by hatch's force-include).
FROM deps AS wheel

ARG PIP_INDEX_URL=https://pypi.org/simple

COPY README.md ./
COPY sandbox/ sandbox/
COPY conformance/ conformance/
COPY fixtures/ fixtures/
RUN --mount=type=secret,id=pip-ca \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && /opt/venv/bin/pip wheel --no-deps --wheel-dir /wheels /src

# ---------------------------------------------------------------------------------------
# Runtime: the same base, the venv, the project, an unprivileged user and a data directory.
FROM ${BASE_IMAGE}

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8 \
    FT_SANDBOX_DATA_DIR=/var/lib/ft-sandbox

RUN groupadd --gid 10001 ft-sandbox \
 && useradd --uid 10001 --gid ft-sandbox --no-create-home --no-log-init \
      --home-dir /var/lib/ft-sandbox --shell /usr/sbin/nologin ft-sandbox \
 && mkdir -p /var/lib/ft-sandbox \
 && chown ft-sandbox:ft-sandbox /var/lib/ft-sandbox \
 && chmod 0750 /var/lib/ft-sandbox

# Dependencies and project in separate layers: a source change only rebuilds the small one.
COPY --from=deps /opt/venv /opt/venv
COPY --from=wheel /wheels/ /tmp/wheels/
RUN PIP_DISABLE_PIP_VERSION_CHECK=1 /opt/venv/bin/pip install --no-cache-dir --no-index --no-deps /tmp/wheels/*.whl \
 && PIP_DISABLE_PIP_VERSION_CHECK=1 /opt/venv/bin/pip check \
 && rm -rf /tmp/wheels

USER 10001:10001
WORKDIR /var/lib/ft-sandbox
EXPOSE 8080

CMD ["ft-sandbox", "serve", "--host", "0.0.0.0", "--port", "8080"]
