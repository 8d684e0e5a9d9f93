"""The boto3 session every AWS client comes from: boto3's own chain, plus AWS_REGION.

boto3 reads the region from AWS_DEFAULT_REGION and profiles but not from AWS_REGION (the
name the AWS CLI, the SDKs for other languages and Lambda use); honour both.
"""

import os

import boto3


def aws_session() -> boto3.session.Session:
    return boto3.session.Session(region_name=os.environ.get("AWS_REGION") or None)
