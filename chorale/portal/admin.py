from django.contrib import admin

from .models import HelpArticle, HelpTopic, News
from .services import help_article_index


@admin.register(News)
class NewsAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "is_published"]
    list_filter = ["is_published", "published_on"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_on"


@admin.register(HelpTopic)
class HelpTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "position"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(HelpArticle)
class HelpArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "position", "is_published", "updated_at"]
    list_filter = ["topic", "is_published"]
    search_fields = ["title", "summary", "body"]
    list_select_related = ["topic"]
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = True

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        help_article_index(obj)  # the question box answers from the new text at once
