import { graphql } from "../gql";

export const MyContactDetailsDocument = graphql(`
  query MyContactDetails {
    me {
      id
      patient {
        id givenName familyName email phone version
        address { line1 line2 city region postalCode country }
      }
    }
  }
`);

export const UpdateMyContactDetailsDocument = graphql(`
  mutation UpdateMyContactDetails($input: ContactDetailsInput!, $expectedVersion: Int) {
    updateMyContactDetails(input: $input, expectedVersion: $expectedVersion) {
      id email phone version
      address { line1 line2 city region postalCode country }
    }
  }
`);

export const MyAccessLogDocument = graphql(`
  query MyAccessLog($patientId: ID!, $after: String) {
    accessLog(patientId: $patientId, first: 20, after: $after) {
      nodes {
        sequence at actorUserId actorName actorRole action allowed reason denialMessage
        breakGlass purpose basis parts { type } # no id: parts of one patient share it (cache)
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const MyPatientIdDocument = graphql(`
  query MyPatientId {
    me { id patient { id } }
  }
`);
