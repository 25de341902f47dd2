"""openimr.review"""
