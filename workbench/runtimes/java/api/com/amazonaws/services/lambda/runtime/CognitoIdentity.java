package com.amazonaws.services.lambda.runtime;

/** The Amazon Cognito identity of the caller (null when the call had none). */
public interface CognitoIdentity {
    String getIdentityId();
    String getIdentityPoolId();
}
