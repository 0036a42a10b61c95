# Storebot: one image for the web tier (daphne) and the worker (qcluster).
# docker-compose.yml runs it; see README "Operations".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --create-home --uid 10001 storebot

COPY requirements.txt .
# The lock: every package pinned with its hashes (make lock).
RUN pip install --require-hashes -r requirements.txt

COPY . .
# Static files are collected into the image and served by whitenoise. The
# key below exists only for this build step; the container gets its own.
RUN DEBUG=false ALLOWED_HOSTS=localhost \
    SECRET_KEY=collectstatic-build-step-only-not-used-at-runtime-0123456789 \
    python manage.py collectstatic --noinput

USER storebot
EXPOSE 8000
# --proxy-headers: the client address comes from the reverse proxy.
# --verbosity 0: no plain-text access log; our JSON request line replaces it.
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "--verbosity", "0", "storebot.asgi:application"]
