"""Classification of recommendations: the model, its suggestions and their review queue."""
