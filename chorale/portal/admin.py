from django.contrib import admin

from .models import News


@admin.register(News)
class NewsAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "is_published"]
    list_filter = ["is_published", "published_on"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_on"
