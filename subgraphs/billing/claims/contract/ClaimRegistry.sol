// SPDX-License-Identifier: Apache-2.0
// ClaimRegistry: anchors the hash of a hospital's insurance claim and records its decisions.
//
// Only a hash goes on chain (never the claim itself). The hospital's account (the deployer)
// anchors claims; only the insurer's account, fixed at deployment, changes their status, along
// SUBMITTED -> VALIDATED -> APPROVED | DENIED, APPROVED -> PAID. A hash can be anchored once.
// Regenerate ClaimRegistry.json after any change: `npm ci && npm run build` in this folder.
pragma solidity ^0.8.24;

contract ClaimRegistry {
    enum Status {
        None,
        Submitted,
        Validated,
        Approved,
        Denied,
        Paid
    }

    struct Claim {
        Status status;
        uint64 anchoredAt;
        uint64 updatedAt;
    }

    address public immutable hospital;
    address public immutable insurer;
    mapping(bytes32 => Claim) private claims;

    error DuplicateClaim(bytes32 claimHash);
    error UnknownClaim(bytes32 claimHash);
    error NotHospital(address caller);
    error NotInsurer(address caller);
    error InvalidTransition(bytes32 claimHash, Status from, Status to);

    event ClaimAnchored(bytes32 indexed claimHash, address indexed hospital, uint64 anchoredAt);
    event ClaimStatusChanged(bytes32 indexed claimHash, Status from, Status to, address indexed insurer);

    constructor(address insurer_) {
        hospital = msg.sender;
        insurer = insurer_;
    }

    /// Anchor a claim's hash; reverts with DuplicateClaim when it is already anchored.
    function anchor(bytes32 claimHash) external {
        if (msg.sender != hospital) revert NotHospital(msg.sender);
        if (claims[claimHash].status != Status.None) revert DuplicateClaim(claimHash);
        uint64 now_ = uint64(block.timestamp);
        claims[claimHash] = Claim(Status.Submitted, now_, now_);
        emit ClaimAnchored(claimHash, msg.sender, now_);
    }

    /// Move an anchored claim to its next status; the insurer's account only.
    function setStatus(bytes32 claimHash, Status to) external {
        if (msg.sender != insurer) revert NotInsurer(msg.sender);
        Claim storage claim = claims[claimHash];
        Status from = claim.status;
        if (from == Status.None) revert UnknownClaim(claimHash);
        if (!allowed(from, to)) revert InvalidTransition(claimHash, from, to);
        claim.status = to;
        claim.updatedAt = uint64(block.timestamp);
        emit ClaimStatusChanged(claimHash, from, to, msg.sender);
    }

    /// A claim's status and times; status None (0) when the hash was never anchored.
    function claimOf(bytes32 claimHash)
        external
        view
        returns (Status status, uint64 anchoredAt, uint64 updatedAt)
    {
        Claim storage claim = claims[claimHash];
        return (claim.status, claim.anchoredAt, claim.updatedAt);
    }

    function allowed(Status from, Status to) private pure returns (bool) {
        if (from == Status.Submitted) return to == Status.Validated;
        if (from == Status.Validated) return to == Status.Approved || to == Status.Denied;
        if (from == Status.Approved) return to == Status.Paid;
        return false;
    }
}
