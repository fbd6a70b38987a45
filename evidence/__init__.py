"""Evidence files (tài liệu kiểm chứng) attached to figures, task reports and, later, findings and scores."""
