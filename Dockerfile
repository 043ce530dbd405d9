FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings that load; the real key comes from the environment at run time.
RUN SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_urlsafe(50))") \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 izbiratel && mkdir -p /app/media && chown izbiratel /app/media
USER izbiratel
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py", \
     "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
