from django.contrib import admin

from . import models

for model in (models.BusinessArea, models.IntrayType, models.Parameter, models.LetterTemplate):
    admin.site.register(model)


@admin.register(models.PolicyFile)
class PolicyFileAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "loaded_at"]
    readonly_fields = ["name", "version", "sha256", "loaded_at"]
